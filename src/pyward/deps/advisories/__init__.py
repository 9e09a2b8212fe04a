"""Advisory data: the OSV record model, the SQLite index, importing and downloading."""
