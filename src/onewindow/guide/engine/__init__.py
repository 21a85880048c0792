"""The guide's search engine: BM25 over jieba tokens with field weights, plus character bigrams
for typos and near names. Pure functions over an in-memory index built from the database;
see index.py for what is indexed and cache.py for when it is rebuilt."""
