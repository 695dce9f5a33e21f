"""Documents of the movement book: orders and contracts (DOCX from a replaceable template,
PDF from our layout), the book and the reports (PDF/XLSX). See the modules."""
