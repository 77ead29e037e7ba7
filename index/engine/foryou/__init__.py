"""For you: a ranking learned from the user's marks, in the spirit of arxiv-sanity-lite.

Every paper is a tf-idf vector of its title, abstract and authors, read once per index
generation straight from the posting lists (no paper is unpickled). A logistic regression,
trained by a few hundred numpy iterations, separates the bookmarked papers (positives) from
the papers marked not interested (negatives) and a random sample of the rest (weak
negatives, as arxiv-sanity-lite trains against everything untagged). Scoring the library is
one sparse product. Only paperdeck.index.engine.ordering uses this package (and the store,
whose imports keep each new segment's terms as they write it):
arrays (the cache's files and feature names), segments (one segment's terms, read once),
features (the library's vectors, assembled or extended) and model (training, ranking).
"""

from __future__ import annotations

# (field, prefix of its features): a title's and an abstract's words are one feature (titles
# weigh their field boost), an author's name another.
FIELDS = (("title", ""), ("abstract", ""), ("author", "author:"))
MIN_DF = 2  # a term in one paper relates it to nothing
# A term in more papers tells few apart (arxiv-sanity-lite's max_df is 0.1, over whole
# vectors; a paper keeps only TERMS_PER_PAPER here, and a field's own word in 10-25% of papers,
# "quantum", "spin", is then one of its strongest it shares: bench/README.md, issue 23 item 6).
MAX_DF_SHARE = 0.25
SMALL_LIBRARY = 50  # ... but in a small library, a topic's word can be in a tenth of it
TERMS_PER_PAPER = 24  # a paper's strongest terms are kept; the rest cost memory, not ranking
# Words that say nothing of a topic, beyond the index's own stop words (as they are stemmed).
_PLAIN = (
    "about abov after again against all also although among ani anoth becaus been befor "
    "being below between both but could did differ do doe doing down dure each even ever "
    "few further given had ha has here how howev into itself just like made make mani "
    "might more most much must new no nor now onli other our out over own per same sever "
    "should sinc so some such than their them then there these thei they those though "
    "through thu too under until up upon veri via wa was were what whether which while who "
    "whom whose why within without would"
)
PLAIN_WORDS = frozenset(_PLAIN.split())
