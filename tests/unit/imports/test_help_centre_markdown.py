"""A help centre's HTML as this helpdesk's Markdown: sections stay sections (the chat answers from the one that
answers), tables keep their columns, and nothing executable or hidden survives."""

from helpdesk.imports.articles import as_markdown, language_tag


def test_headings_lists_tables_and_links_survive_and_scripts_do_not() -> None:
    html = ("<h1>Reset your password</h1><p>Open <a href='https://acme.example/settings' onclick='x()'>Settings</a>"
            " &gt; <b>Security</b>.</p><script>steal()</script><style>p{color:red}</style>"
            "<h2>The email never arrived</h2><ul><li>Check the spam_folder</li><li>Wait *5* minutes</li></ul>"
            "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>$10</td></tr></table>"
            "<iframe src='https://evil.example'></iframe>")
    assert as_markdown(html) == (
        "# Reset your password\n\nOpen [Settings](https://acme.example/settings) > **Security**.\n\n"
        "## The email never arrived\n\n- Check the spam\\_folder\n- Wait \\*5\\* minutes\n\n"
        "| Plan | Price |\n| --- | --- |\n| Pro | $10 |")


def test_locales_become_language_tags() -> None:
    assert [language_tag(locale) for locale in ("en-us", "pt-br", "de", "", "EN")] == ["en-US", "pt-BR", "de", "en",
                                                                                         "en"]
