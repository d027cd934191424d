"""The step language: typed steps (`steps`), the dict form (`step_dicts`), English and Chinese step
sentences (`sentences`, `sentences_en`, `sentences_zh`, `sentence_rules`), and scenario files
(`scenario`, read line-aware by `yaml_lines`). Pure data and parsing: nothing here drives a browser.
"""
