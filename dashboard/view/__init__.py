"""The page layer: what pages get through `context.page_context()` (`context`), the sidebar filters and
their URL round trip (`sidebar`), and what is cached per data version (`cache`)."""
