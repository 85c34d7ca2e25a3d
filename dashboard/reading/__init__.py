"""Reading data: where it is (`settings`), turning files into the contract's tables (`importer`,
`validation`) and opening a folder for the queries (`opening`). Every folder the app shows goes
through the importer, so what `python -m dashboard validate` accepts is exactly what the app opens."""
