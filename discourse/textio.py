"""Reading and decoding text files, and CSV records (one place for every stage that reads text)."""
