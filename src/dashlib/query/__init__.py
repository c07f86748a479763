"""(Dataset, Selection, today) → frames and text: selection, filters, search, summaries, tables."""
