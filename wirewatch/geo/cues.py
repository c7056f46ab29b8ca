"""Country evidence from a text's own words besides place names and demonyms.

Terse conflict notes ("FARDC soldiers clashed with Mayi Mayi militiamen in Kalehe
territory") seldom name the country, yet their actors and agencies do: national
armed forces' and police acronyms, UN missions and armed groups that operate in one
country (not people: who holds an office changes).  :func:`country_cues` returns the country codes such
words point to; the resolver uses them as a soft prior, like a demonym, never as
an override.  Names that span several countries (Boko Haram, the LRA, AQIM) are
left out or mapped to every country they operate in, each at a lower weight.
"""

from __future__ import annotations

import re
from collections import Counter

# word or phrase (matched case-sensitively on word boundaries) -> country codes it implies
_CUES: dict[str, tuple[str, ...]] = {
    # national armed forces, police and agencies
    "FARDC": ("CD",), "SNR": ("BI",), "Imbonerakure": ("BI",),
    "FACA": ("CF",), "FAMa": ("ML",), "SPLA": ("SS",), "SPLA-IO": ("SS",), "SPLM": ("SS",),
    "SPLM-IO": ("SS",), "SPLM-N": ("SD",), "NISS": ("SD",), "KDF": ("KE",),
    "UPDF": ("UG",), "ENDF": ("ET",), "SNA": ("SO",), "NISA": ("SO",), "SAPS": ("ZA",), "SANDF": ("ZA",),
    "ZRP": ("ZW",), "ANP": ("DZ",), "National Popular Army": ("DZ",),
    "FADM": ("MZ",), "Civilian JTF": ("NG",), "CJTF": ("NG",), "NSCDC": ("NG",),
    # UN and regional missions
    "MONUSCO": ("CD",), "MINUSCA": ("CF",), "MINUSMA": ("ML",), "UNMISS": ("SS",), "UNAMID": ("SD",),
    "AMISOM": ("SO",), "UNISFA": ("SS", "SD"), "UNMIL": ("LR",), "UNOCI": ("CI",), "Barkhane": ("ML",),
    # armed groups tied to one country (or a few)
    "Mayi Mayi": ("CD",), "Mai Mai": ("CD",), "Mai-Mai": ("CD",), "Mayi-Mayi": ("CD",), "Raia Mutomboki": ("CD",),
    "Nyatura": ("CD",), "FDLR": ("CD",), "ADF": ("CD", "UG"), "ADF-Nalu": ("CD",), "FRPI": ("CD",), "M23": ("CD",),
    "NDC-R": ("CD",), "APCLS": ("CD",), "Kamuina Nsapu": ("CD",), "Nande": ("CD",), "Banyamulenge": ("CD",),
    "Hema": ("CD",), "Lendu": ("CD",), "LRA": ("CF", "CD", "SS", "UG"),
    "Seleka": ("CF",), "ex-Seleka": ("CF",), "Anti-Balaka": ("CF",), "anti-Balaka": ("CF",), "FPRC": ("CF",),
    "Al Shabaab": ("SO", "KE"), "Al-Shabaab": ("SO", "KE"), "al-Shabaab": ("SO", "KE"), "Ahlu Sunna": ("SO",),
    "Boko Haram": ("NG", "CM", "NE", "TD"), "ISWAP": ("NG",), "Ansaru": ("NG",), "IPOB": ("NG",), "MASSOB": ("NG",),
    "Niger Delta Avengers": ("NG",),
    "Ansar Dine": ("ML",), "MNLA": ("ML",), "GATIA": ("ML",), "MUJAO": ("ML",), "Al Mourabitoun": ("ML",),
    "Ansarul Islam": ("BF",), "Jund al-Khilafa": ("DZ",), "Ajnad Misr": ("EG",), "Sinai Province": ("EG",),
    "Wilayat Sinai": ("EG",), "Muslim Brotherhood": ("EG",), "Renamo": ("MZ",), "RENAMO": ("MZ",),
    "Frelimo": ("MZ",), "FRELIMO": ("MZ",), "ZANU-PF": ("ZW",), "ONLF": ("ET",), "JEM": ("SD",),
    "SLA-AW": ("SD",), "SLA-MM": ("SD",), "FLEC": ("AO",), "UNITA": ("AO",), "MPLA": ("AO",), "Polisario": ("EH",),
}
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(sorted((re.escape(k) for k in _CUES), key=len, reverse=True)) + r")(?![\w-])")
CUE_WEIGHT = 0.5  # the weight of one demonym in :func:`wirewatch.geo.resolver.build_context`


def country_cues(text: str) -> Counter:
    """Country code -> weight of the actor and agency names in ``text`` (each distinct name counted once)."""
    out: Counter = Counter()
    for name in {m.group(1) for m in _PATTERN.finditer(text)}:
        ccs = _CUES[name]
        for cc in ccs:
            out[cc] += CUE_WEIGHT / len(ccs)
    return out
