"""Date and number formats that differ from Django's for a language (``FORMAT_MODULE_PATH``):
only English, which follows European (en-GB) conventions rather than American ones."""
