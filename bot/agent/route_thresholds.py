"""The router's thresholds and margins, on the matcher's scale (e5-small cosine plus the weighted BM25
and classifier shares, bot/agent/phrase_match.py). The margins between cued kinds are in
bot/agent/cue_order.py."""

# Cosine similarity (multilingual-e5-small, query/query) above which the nearest phrasing decides the
# route; below it the message goes to the knowledge base, which says "not covered" when nothing is
# relevant. Chosen on the dev sets (bench/coach.py --split dev).
ROUTE_THRESHOLD = 0.86
# A second talk track joins the answer (a pasted message with several concerns) above this.
SECOND_CONCERN_THRESHOLD = 0.88

# A second objection this close to the best is offered as another reading (the embedding cannot tell the
# two apart; the adviser can). Chosen on the dev sets.
ALTERNATIVE_MARGIN = 0.03
# A kind of client or a second occasion this close to a meeting plan joins it.
COMPANION_MARGIN = 0.03
# A known client's call prep takes an occasion's plan only when the message names it clearly: this near,
# and this much nearer than the next plan (a wrong occasion misleads more than none).
OCCASION_FLOOR = 0.95
OCCASION_MARGIN = 0.03
# How much nearer than the runner-up a slot's entry must be (e.g. the client type a question names).
MATCH_MARGIN = 0.01
# An objection or a rule only names the client type it is said by when the type leads clearly: a wrong
# type puts the wrong words in the talk track, a missing one only leaves the default ("客户").
NAMED_TYPE_MARGIN = 0.022
# A meeting ahead (a hard signal) that the adviser asks how to prepare keeps its plan over the off-topic
# route when that is no further ahead than this: the world outside the job has many phrasings, and a client's
# homestay or a trip to a workshop ("约了下周去他民宿聊聊 怎么准备") resembles them.
PLAN_OVER_OFF_TOPIC = 0.05
# A request the guard refused by meaning alone (no pattern) is answered by the library instead when a rule
# that allows it or says "it depends" reads this much nearer than any rule that forbids: the reviewed rule
# knows the situation ("can I buy our R2 product with my own savings"), the learnt check only its words.
# Chosen on the dev sets: refusals it rightly made led by at most 0.02, wrong ones by 0.09 and more.
ALLOWED_OVER_MEANING = 0.05
