"""The accessibility check itself: axe-core fails a test on a serious violation, not a minor one."""

import pytest

pytestmark = [pytest.mark.e2e]


def test_a_serious_violation_fails_and_a_minor_one_is_only_recorded(browser, axe):
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="es"><head><title>Prueba</title></head>'
            "<body><main><h1>Prueba</h1><p>Sin problemas graves.</p></main></body></html>"
        )
        axe(page, "clean")

        page.set_content(
            '<html lang="es"><head><title>Prueba</title></head>'
            '<body><main><h1>Prueba</h1><input type="text" name="nombre"></main></body></html>'
        )
        with pytest.raises(pytest.fail.Exception, match=r"label \(critical\)"):
            axe(page, "unlabelled-field")

        # The same page rendered by another project is recorded, not failed.
        axe(page, "unlabelled-field-elsewhere", ours=False)
        assert [finding["id"] for finding in axe.findings].count("label") == 2
    finally:
        page.close()
