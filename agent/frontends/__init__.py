"""The front-ends people use: the `pagesight` CLI (`cli`, `cli_vision`, `console`, `doctor`),
`pagesight explore`, the pytest plugin and its `ui` fixture (`pytest_plugin`, `pytest_playwright_ext`,
`ui`, `assertions.expect`), and the HTML/JUnit report (`report`).
"""
