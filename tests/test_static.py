from django.test import Client


def test_assets_are_served_by_the_platform_itself(client: Client, db: None) -> None:
    for path in ["/static/secretariat/app.css", "/static/vendor/htmx/htmx.min.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
    html = client.get("/accounts/login/").content.decode()
    assert "/static/secretariat/app.css" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
