"""The coach rubric: whether an answer passes a case (intent, concept groups, no asserted violation,
"not covered" only where true, questions asked back)."""

from __future__ import annotations

import re

NOT_COVERED_MARKERS = ("培训资料里没有", "培训资料没有", "资料没有涉及", "资料里没有", "不在培训资料",
                       "没有覆盖", "未覆盖", "没有涉及", "不涉及", "超出了培训资料", "not covered",
                       "doesn't cover", "does not cover")
NEGATION_BEFORE = re.compile(r"(不|别|勿|禁|莫|not |n't |never )$", re.IGNORECASE)
# Forbidding to say or promise it earlier in the same clause: what follows is what not to say (a mere
# "别担心" or "避免亏损" is no such warning).
FORBIDS_IN_CLAUSE = re.compile(r"((不要|别|不能|不可|不得|千万别|切忌|避免|禁止|严禁)再?"
                               r"(说|讲|提|承诺|保证|写|夸|拿|把|用|当)|不把|不说|不承诺|"
                               r"(don't|do not|never) (say|call|promise|present|describe|tell)|"
                               r"avoid (saying|promising|calling))", re.IGNORECASE)
CLAUSE_SO_FAR = re.compile(r"(?:[^，,。；;！!？?\n.]|\.(?!\s))*$")


def asserts(answer: str, phrase: str) -> bool:
    """True when `phrase` occurs in `answer` at least once without a negation right before it."""
    lowered, wanted = answer.lower(), phrase.lower()
    start = lowered.find(wanted)
    while start != -1:
        negated = NEGATION_BEFORE.search(lowered[max(0, start - 6):start])
        if not negated and not FORBIDS_IN_CLAUSE.search(CLAUSE_SO_FAR.search(lowered[:start]).group()):
            return True
        start = lowered.find(wanted, start + 1)
    return False


def says_not_covered(answer: str) -> bool:
    lowered = answer.lower()
    return any(marker.lower() in lowered for marker in NOT_COVERED_MARKERS)


def question_count(answer: str) -> int:
    return answer.count("？") + answer.count("?")


def grade(case: dict, intent: str, answer: str) -> list[str]:
    """Why the answer fails the case's rubric; empty when it passes."""
    reasons = []
    if intent not in case["expect_intent"]:
        reasons.append(f"intent {intent} not in {case['expect_intent']}")
    lowered = answer.lower()
    for group in case["any_of"]:
        if not any(term.lower() in lowered for term in group):
            reasons.append(f"missing any of {group[:6]}{' ...' if len(group) > 6 else ''}")
    violated = [phrase for phrase in case["must_not"] if asserts(answer, phrase)]
    if violated:
        reasons.append(f"asserts {violated}")
    if case["covered"] and says_not_covered(answer):
        reasons.append("says not covered, but it is")
    if not case["covered"] and not says_not_covered(answer):
        reasons.append("does not say the material does not cover it")
    wanted = case.get("min_questions")
    if wanted and question_count(answer) < wanted:
        reasons.append(f"{question_count(answer)} questions, wanted {wanted}")
    return reasons
