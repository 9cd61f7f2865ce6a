"""Seeded, realistic members of a Welsh network: names as people in Wales have
them (Welsh letters and all), spread over the 22 principal areas roughly as the
population is, a language preference, now and then an organisation. The same
seed gives the same people."""

import random
from dataclasses import dataclass

from contracts import areas

GIVEN = (
    "Aled Alaw Alun Aneurin Angharad Anwen Arwel Bethan Branwen Bryn Carys Catrin "
    "Cerys Dafydd Dai Delyth Dewi Dylan Eirlys Eleri Elin Elis Emrys Efa Ffion "
    "Gareth Geraint Glesni Guto Gwen Gwenllïan Gwion Gwilym Heledd Huw Hywel Idris "
    "Ieuan Iolo Iwan Llinos Lowri Luned Mabli Mali Manon Meinir Meirion Mererid "
    "Nia Nest Non Osian Owain Peredur Rhian Rhiannon Rhodri Rhun Rhys Seren Siân "
    "Siôn Sioned Steffan Tegan Tomos Twm Wyn Ynyr"
).split()
FAMILY = (
    "Bevan Davies Edwards Evans Ellis Griffiths Gruffydd Harris "
    "Hopkins Howells Hughes Humphreys Jenkins John Jones Llewelyn Lloyd Llwyd "
    "Llŷr Lewis Mathias Meredith Morgan Morris Owen Parry Phillips Powell Price "
    "Prichard Prys Rees Rhys Roberts Rowlands Thomas Vaughan Watkins Williams Wyn "
    "Ŵyn"
).split()
ORGANISATION = (
    "Cymdeithas {family} {place}",
    "Canolfan Gymunedol {family}, {place}",
    "Grŵp Garddio {family}, {place}",
    "Banc Bwyd {family}, {place}",
    "{family} Youth Forum, {place}",
)
# Rough shares of Wales's people, largest areas first (Cardiff, Rhondda Cynon
# Taf, Swansea ...); the rest share what is left evenly.
AREA_WEIGHTS = {
    "W06000015": 12,
    "W06000016": 8,
    "W06000011": 8,
    "W06000023": 4,
    "W06000010": 6,
    "W06000022": 5,
    "W06000013": 5,
}


@dataclass(frozen=True)
class Person:
    name: str
    kind: str
    area: str
    language: str | None


class People:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.codes = [area.code for area in areas.all_areas()]
        self.weights = [AREA_WEIGHTS.get(code, 3) for code in self.codes]
        self.used: set[str] = set()

    def person(self) -> Person:
        area = self.random.choices(self.codes, self.weights)[0]
        kind = "organisation" if self.random.random() < 0.1 else "individual"
        language = self.random.choices(["cy", "en", None], [4, 5, 1])[0]
        return Person(self._unique_name(kind, area), kind, area, language)

    def _unique_name(self, kind: str, area: str) -> str:
        name = self._name(kind, area)
        for _ in range(20):
            if name not in self.used:
                break
            name = self._name(kind, area)
        else:
            name = f"{name} {len(self.used)}"
        self.used.add(name)
        return name

    def _name(self, kind: str, area: str) -> str:
        pick = self.random
        if kind == "organisation":
            place = areas.by_code(area).name_cy.split()[-1]
            family = pick.choice(FAMILY)
            return pick.choice(ORGANISATION).format(family=family, place=place)
        return f"{pick.choice(GIVEN)} {pick.choice(GIVEN)} {pick.choice(FAMILY)}"
