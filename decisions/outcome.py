"""The arithmetic of an outcome, apart from the database so that its edges are plain to test."""

from dataclasses import dataclass


@dataclass(frozen=True)
class VoteCount:
    yes: int
    no: int
    abstain: int
    eligible: int


def meets_threshold(*, yes: int, no: int, numerator: int, denominator: int) -> bool:
    """Yes is at least `numerator/denominator` of yes + no; abstentions do not count here."""
    cast = yes + no
    return cast > 0 and yes * denominator >= numerator * cast


def meets_quorum(*, taking_part: int, eligible: int, quorum_percent: int | None) -> bool:
    """Enough entities took part (abstaining counts); no quorum set, always met."""
    if quorum_percent is None:
        return True
    return eligible > 0 and taking_part * 100 >= quorum_percent * eligible


def vote_adopts(count: VoteCount, *, numerator: int, denominator: int, quorum_percent) -> bool:
    quorum = meets_quorum(
        taking_part=count.yes + count.no + count.abstain,
        eligible=count.eligible,
        quorum_percent=quorum_percent,
    )
    threshold = meets_threshold(
        yes=count.yes, no=count.no, numerator=numerator, denominator=denominator
    )
    return quorum and threshold
