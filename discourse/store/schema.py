"""The corpus store's schema, as an ordered list of migrations.

``PRAGMA user_version`` holds the schema version. Opening a store applies every
migration above its version, each in its own transaction, so a store written
by an older ``discourse`` is upgraded in place and never rebuilt. A store from
a newer version is refused rather than guessed at.
"""

from __future__ import annotations

from .index import INDEX_MIGRATION

MIGRATIONS: list[str] = [
    # 1: documents, their text and tokens, and the ingest ledger.
    """
    CREATE TABLE documents (
        doc_id            TEXT PRIMARY KEY,     -- sha256 of the normalised text (first 16 hex)
        path              TEXT NOT NULL,        -- ledger key of the source kept for this text
        title             TEXT,
        date              TEXT,                 -- ISO 8601, may be partial (YYYY, YYYY-MM)
        year              INTEGER,
        date_source       TEXT NOT NULL,        -- manifest|front-matter|cli|filename|none, or the file's own
                                                -- metadata: pdf-|docx-|html-|embedded-metadata
        source_type       TEXT,
        metadata          TEXT NOT NULL DEFAULT '{}',   -- JSON: every other manifest/front-matter field
        raw_meta          TEXT NOT NULL DEFAULT '{}',   -- JSON {front_matter, embedded, encoding} as extracted
                                                        -- (a table row's columns are its front_matter); an
                                                        -- unchanged input is re-resolved from it with the
                                                        -- current manifest and command line, not stored here
        extractor         TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        pages             INTEGER NOT NULL,
        words             INTEGER NOT NULL,     -- tokens that are neither punctuation nor whitespace
        ws_words          INTEGER NOT NULL,     -- whitespace-separated count (comparison only)
        chars             INTEGER NOT NULL,
        quality           TEXT NOT NULL DEFAULT '{}',   -- JSON: extraction-quality figures
        ingested_at       TEXT NOT NULL
    );
    CREATE INDEX documents_year ON documents(year);
    CREATE INDEX documents_source_type ON documents(source_type);
    CREATE TABLE texts (
        doc_id      TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
        text        TEXT NOT NULL,
        page_starts TEXT NOT NULL            -- JSON list: char offset where each page starts
    );
    CREATE TABLE tokens (
        doc_id   TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
        nlp      TEXT NOT NULL,              -- pipeline fingerprint (discourse.nlp.NLP_VERSION)
        n_tokens INTEGER NOT NULL,
        docbin   BLOB NOT NULL               -- spaCy DocBin bytes (msgpack; no pickle)
    );
    CREATE TABLE ledger (
        key        TEXT PRIMARY KEY,         -- absolute path, or path#row=N for table rows
        path       TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN
                   ('ingested','duplicate','unchanged','no-text','skipped','failed')),
        reason     TEXT,
        doc_id     TEXT,
        sha256     TEXT,
        size       INTEGER,
        extractor_version TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX ledger_doc ON ledger(doc_id);
    """,
    # 2: concept mentions, computed per lexicon content hash (the key column is renamed in 3).
    """
    CREATE TABLE lexicons (
        lexicon_hash TEXT PRIMARY KEY,       -- sha256 of the lexicon's canonical content
        name         TEXT,
        version      TEXT,
        path         TEXT,
        content      TEXT NOT NULL,          -- canonical JSON of the parsed lexicon
        created_at   TEXT NOT NULL
    );
    CREATE TABLE mention_runs (               -- this document has been matched with this lexicon
        lexicon_hash TEXT NOT NULL,
        doc_id       TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        n            INTEGER NOT NULL,
        PRIMARY KEY (lexicon_hash, doc_id)
    );
    CREATE TABLE mentions (
        lexicon_hash   TEXT NOT NULL,
        doc_id         TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        concept        TEXT NOT NULL,
        variant        TEXT NOT NULL,        -- the matched text as written
        start_char     INTEGER NOT NULL,
        end_char       INTEGER NOT NULL,
        start_token    INTEGER NOT NULL,
        end_token      INTEGER NOT NULL,
        page           INTEGER NOT NULL,
        sent_start     INTEGER NOT NULL,     -- the sentence, capped at +-60 tokens
        sent_end       INTEGER NOT NULL,
        excluded       INTEGER NOT NULL,
        exclude_reason TEXT
    );
    CREATE INDEX mentions_lex_concept ON mentions(lexicon_hash, concept);
    CREATE INDEX mentions_lex_doc ON mentions(lexicon_hash, doc_id);
    """,
    # 3: the key is the lexicon hash, or a hash of it and the --model
    # (discourse.annotate.mention_key): name the column for what it holds.
    # RENAME COLUMN carries the primary key and both indexes along.
    """
    ALTER TABLE lexicons RENAME COLUMN lexicon_hash TO mention_key;
    ALTER TABLE mention_runs RENAME COLUMN lexicon_hash TO mention_key;
    ALTER TABLE mentions RENAME COLUMN lexicon_hash TO mention_key;
    """,
    # 4: hand labels of mentions (discourse validate). Keyed by the mention's document and
    # character span, not by a row or a mention key, so a label outlives re-matching and
    # lexicon edits: it joins any current mention with the same span and concept.
    """
    CREATE TABLE labels (
        mention_id  TEXT NOT NULL,           -- "{doc_id}:{start_char}-{end_char}"
        concept     TEXT NOT NULL,           -- the concept the coder judged the mention for
        coder       TEXT NOT NULL,           -- the sample file's label column (label, coder_a, ...)
        label       TEXT NOT NULL CHECK (label IN ('yes','no','unsure')),
        source      TEXT,                    -- the sample file the label was read from
        labelled_at TEXT NOT NULL,           -- when it was stored (UTC, ISO 8601)
        PRIMARY KEY (mention_id, concept, coder)
    );
    """,
    # 5: ledger history. The ledger table holds each input's current status; every change of it is
    # also appended here, so a re-ingest adds events and never rewrites what happened before.
    # Existing rows become the first event of their input.
    """
    CREATE TABLE ledger_events (
        event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
        key        TEXT NOT NULL,
        path       TEXT NOT NULL,
        status     TEXT NOT NULL,
        reason     TEXT,
        doc_id     TEXT,
        sha256     TEXT,
        size       INTEGER,
        extractor_version TEXT,
        at         TEXT NOT NULL
    );
    CREATE INDEX ledger_events_key ON ledger_events(key);
    INSERT INTO ledger_events(key,path,status,reason,doc_id,sha256,size,extractor_version,at)
        SELECT key,path,status,reason,doc_id,sha256,size,extractor_version,updated_at FROM ledger ORDER BY key;
    """,
    # 6: the positional index (discourse.store.index): vocabulary, token arrays, postings, compiled
    # lexicons. Existing documents are indexed from their DocBins on first use (discourse index).
    INDEX_MIGRATION,
]

SCHEMA_VERSION = len(MIGRATIONS)
