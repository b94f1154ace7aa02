"""Record linkage of Christmas-aid applications.

- records.py: one application as a flat, normalised *household* record (all adults, the
  children's birth years, address, phone), the input of both modes;
- duplicates.py: within one organisation, with Splink on DuckDB and a trained model;
- crosscharity.py: across charities, on privacy-preserving encodings only;
- synthetic.py: seeded synthetic applications with known duplicates (tests, benchmark, demo).
"""
