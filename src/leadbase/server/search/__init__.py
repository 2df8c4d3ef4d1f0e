"""Search over the catalog: filters, full text, keyset pages, counts, previews."""
