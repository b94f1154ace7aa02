"""Synthetic names and places for the benchmark registry: common Danish names, invented streets.

No real person's data. Weights roughly follow how common the names are in Denmark, so a search
for a common name ("jensen anna") matches many households, as it would in a real branch.
"""

from __future__ import annotations

# (name, weight)
LAST = [
    ("Nielsen", 24), ("Jensen", 24), ("Hansen", 20), ("Andersen", 17), ("Pedersen", 16),
    ("Christensen", 11), ("Larsen", 11), ("Sørensen", 10), ("Rasmussen", 8), ("Jørgensen", 8),
    ("Petersen", 7), ("Madsen", 6), ("Kristensen", 6), ("Olsen", 5), ("Thomsen", 4),
    ("Christiansen", 4), ("Poulsen", 3), ("Johansen", 3), ("Møller", 3), ("Mortensen", 3),
    ("Karlsen", 2), ("Jakobsen", 2), ("Lauridsen", 2), ("Frederiksen", 2), ("Berg", 2),
    ("Holm", 2), ("Schmidt", 2), ("Kjær", 2), ("Eriksen", 2), ("Lund", 2), ("Knudsen", 2),
    ("Mikkelsen", 2), ("Hussein", 2), ("Ali", 2), ("Mohamed", 2), ("Ahmed", 2), ("Yilmaz", 1),
    ("Kaya", 1), ("Demir", 1), ("Kovalenko", 1), ("Shevchenko", 1), ("Bondarenko", 1),
    ("Nowak", 1), ("Kowalski", 1), ("Abdi", 1), ("Warsame", 1), ("Haidari", 1), ("Rahimi", 1),
    ("Tesfaye", 1), ("Khan", 1),
]
FEMALE = [
    ("Anna", 8), ("Mette", 6), ("Maria", 6), ("Susanne", 4), ("Hanne", 4), ("Camilla", 4),
    ("Louise", 4), ("Sofie", 4), ("Julie", 4), ("Line", 4), ("Katrine", 3), ("Ida", 3),
    ("Emma", 3), ("Laura", 3), ("Sara", 3), ("Pia", 3), ("Charlotte", 3), ("Maja", 2),
    ("Nanna", 2), ("Stine", 2), ("Trine", 2), ("Signe", 2), ("Cecilie", 2), ("Fatima", 2),
    ("Amina", 2), ("Nadia", 2), ("Zainab", 1), ("Olena", 1), ("Iryna", 1), ("Ayşe", 1),
    ("Hodan", 1), ("Marta", 1), ("Leyla", 1), ("Mariam", 1),
]
MALE = [
    ("Peter", 7), ("Jens", 6), ("Lars", 6), ("Michael", 6), ("Henrik", 5), ("Thomas", 5),
    ("Søren", 5), ("Jan", 4), ("Niels", 4), ("Rasmus", 4), ("Martin", 4), ("Mads", 3),
    ("Mikkel", 3), ("Kasper", 3), ("Jesper", 3), ("Anders", 3), ("Christian", 3),
    ("Morten", 3), ("Jonas", 2), ("Frederik", 2), ("Simon", 2), ("Ahmed", 2), ("Ali", 2),
    ("Omar", 2), ("Mohammad", 2), ("Hassan", 1), ("Yusuf", 1), ("Mehmet", 1), ("Andrij", 1),
    ("Oleksandr", 1), ("Piotr", 1), ("Abdi", 1), ("Reza", 1), ("Yonas", 1),
]
CHILD_F = [
    ("Alma", 4), ("Freja", 4), ("Ella", 4), ("Agnes", 3), ("Clara", 3), ("Karla", 3),
    ("Ida", 3), ("Emma", 3), ("Olivia", 3), ("Sofia", 3), ("Anna", 3), ("Josefine", 2),
    ("Lærke", 2), ("Nora", 2), ("Luna", 2), ("Maja", 2), ("Asta", 2), ("Aya", 1),
    ("Noor", 1), ("Mira", 1), ("Sara", 1), ("Hiba", 1), ("Sofiia", 1),
]
CHILD_M = [
    ("William", 4), ("Noah", 4), ("Oscar", 4), ("Lucas", 3), ("Carl", 3), ("Malthe", 3),
    ("Elias", 3), ("Alfred", 3), ("Emil", 3), ("Aksel", 2), ("Viggo", 2), ("Valdemar", 2),
    ("Magnus", 2), ("Arthur", 2), ("Storm", 2), ("Adam", 2), ("Zakaria", 1), ("Yasin", 1),
    ("Ibrahim", 1), ("Mark", 1), ("Maksym", 1), ("Jakub", 1),
]
STREETS = [
    "Egevej", "Birkealle", "Lærkevej", "Solsikkevej", "Skolegade", "Mosevej", "Kirkevænget",
    "Ahornvej", "Byparken", "Engtoften", "Stationsvej", "Havevej", "Bøgevej", "Granvej",
    "Nørregade", "Søndergade", "Vestergade", "Østergade", "Skovvej", "Bakkevej", "Rosenvej",
    "Tjørnevej", "Kastanievej", "Møllevej", "Vibevej", "Stærevej", "Parkvej", "Engvej",
    "Fasanvej", "Højvangen", "Toftegårdsvej", "Åboulevarden", "Ringvejen", "Gellerupparken",
    "Bispehavevej", "Vollsmose Allé", "Tingbjerg Allé", "Mjølnerparken", "Aldersrogade",
]
