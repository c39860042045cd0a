"""What a county calls its stations, and a station's short name, derived from the plaque names.

Networks differ (seeds 000–003): 周宁县社工总站 + 乡镇民政服务站, 城关区××街道社会工作服务站,
乐至县天池街道社工站 with 社区社工室 (some 示范社工室) below. Nothing here assumes the sample's words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# The station words of the seeds' networks, longest first so 社会工作服务站 wins over 服务站.
STATION_WORDS = (
    "社会工作服务总站",
    "社会工作服务中心",
    "社会工作服务站",
    "社会工作服务室",
    "社工服务总站",
    "社工服务站",
    "民政服务站",
    "民政工作站",
    "社会工作站",
    "社会工作室",
    "社工总站",
    "社工站",
    "社工室",
    "服务站",
    "工作站",
)
# Words in front of the station word that say what kind of room it is, not where it is.
MODIFIERS = ("示范",)
DEFAULT_NETWORK_NAME = "社工站"


def station_word(name: str) -> str | None:
    """The station word a plaque name ends with (周宁县狮城镇民政服务站 → 民政服务站), if any."""
    return next((w for w in STATION_WORDS if name.endswith(w)), None)


def short_name(county: str, name: str) -> str:
    """周宁县狮城镇民政服务站 → 狮城镇, 东山镇社会工作服务站 → 东山镇, 仙鹤观社区示范社工室 → 仙鹤观社区.

    The county prefix and the station word go; a name that would be left empty (周宁县社工总站)
    keeps its station word, so the hub reads 社工总站.
    """
    rest = name.removeprefix(county) if county and name != county else name
    word = station_word(rest)
    if word is None:
        return rest or name
    place = rest[: -len(word)]
    for modifier in MODIFIERS:
        if place.endswith(modifier) and len(place) > len(modifier):
            place = place[: -len(modifier)]
    return place or rest


def network_name(station_names: Iterable[tuple[str, str]]) -> str:
    """The word most of the county's stations use, from (kind, name) pairs; the hub and community
    rooms are left out when other stations exist, since the network is named after its town and
    street stations (民政服务站 in the sample, whose hub is a 社工总站)."""
    pairs = list(station_names)
    main = [n for k, n in pairs if k in ("township", "street")] or [n for _, n in pairs]
    words = Counter(w for w in (station_word(n) for n in main) if w)
    if not words:
        return DEFAULT_NETWORK_NAME
    # Most common first; ties by the order of STATION_WORDS, so the result does not depend on order.
    return min(words, key=lambda w: (-words[w], STATION_WORDS.index(w)))
