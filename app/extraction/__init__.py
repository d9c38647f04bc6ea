"""Reading a document's own text (pasted, .txt or a PDF text layer) into register fields: text in, records out."""
