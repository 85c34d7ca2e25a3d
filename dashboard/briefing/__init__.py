"""The board briefing: the written summary (핵심 요약) and the A4 PDF of a view."""
