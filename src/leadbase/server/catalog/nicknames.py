"""English given-name nicknames and their canonical forms, for person matching keys.

"Bob Smith" and "Robert Smith" must share a key, so every nickname maps to one canonical
name. A nickname shared by two names (Chris: Christopher, Christine) maps to the more
common one; the generator draws its nickname noise from the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# canonical name -> its nicknames; all lower-case ASCII. Order matters only for nicknames
# listed under two names: the first listing wins.
NICKNAMES_OF: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "abigail": ("abby", "abbie", "gail"),
        "abraham": ("abe", "bram"),
        "albert": ("al", "bert", "bertie"),
        "alexander": ("alex", "alec", "sasha", "xander", "lex", "sandy"),
        "alexandra": ("alexa", "lexi", "lexie"),
        "alfred": ("alf", "alfie"),
        "allison": ("ally", "allie"),
        "andrew": ("andy", "drew"),
        "anthony": ("tony", "ant"),
        "antonio": ("toni", "tono"),
        "arthur": ("art", "artie"),
        "barbara": ("barb", "babs", "barbie"),
        "benjamin": ("ben", "benji", "benny"),
        "bernard": ("bernie", "barney"),
        "beverly": ("bev",),
        "bradley": ("brad",),
        "calvin": ("cal",),
        "cameron": ("cam",),
        "caroline": ("carrie", "caro"),
        "catherine": ("cathy", "cate", "kate", "katie", "kathy", "cat", "kat"),
        "charles": ("charlie", "chuck", "chas", "chaz"),
        "charlotte": ("lottie", "charlie"),
        "christina": ("tina",),
        "christine": ("chrissy", "chrissie"),
        "christopher": ("chris", "kit", "topher", "cris"),
        "clifford": ("cliff",),
        "constance": ("connie",),
        "cynthia": ("cindy",),
        "daniel": ("dan", "danny", "dani"),
        "david": ("dave", "davey", "davy"),
        "deborah": ("deb", "debbie", "debby", "debra"),
        "dennis": ("denny",),
        "donald": ("don", "donnie", "donny"),
        "dorothy": ("dot", "dottie", "dolly"),
        "douglas": ("doug",),
        "edward": ("ed", "eddie", "eddy", "ted", "teddy", "ned"),
        "eleanor": ("ellie", "nell"),
        "elizabeth": (
            "liz",
            "lizzie",
            "lizzy",
            "beth",
            "betty",
            "betsy",
            "eliza",
            "libby",
            "elisa",
            "bess",
        ),
        "emily": ("emmy",),
        "eugene": ("gene",),
        "frances": ("fran", "frannie"),
        "francis": ("frank", "frankie"),
        "frederick": ("fred", "freddie", "freddy", "fritz"),
        "gabriel": ("gabe",),
        "gabriella": ("gabby", "gabbie", "gabi"),
        "geoffrey": ("geoff", "jeff", "jeffrey"),
        "gerald": ("gerry", "jerry"),
        "gregory": ("greg",),
        "harold": ("hal",),
        "henry": ("hank", "harry", "hal"),
        "isabella": ("bella", "izzy", "isabel", "isabelle"),
        "jacob": ("jake",),
        "james": ("jim", "jimmy", "jamie", "jimbo"),
        "janet": ("jan",),
        "jennifer": ("jen", "jenny", "jenn", "jennie"),
        "jessica": ("jess", "jessie"),
        "john": ("johnny", "jack", "jon", "jonny"),
        "jonathan": ("jonathon",),
        "joseph": ("joe", "joey"),
        "joshua": ("josh",),
        "judith": ("judy", "judi"),
        "katherine": ("katharine", "kathryn", "kay", "kitty"),
        "kenneth": ("ken", "kenny"),
        "kimberly": ("kim", "kimmy"),
        "lawrence": ("larry", "laurence"),
        "leonard": ("len", "lenny"),
        "lillian": ("lily", "lil", "lilly"),
        "louis": ("lou", "louie"),
        "margaret": ("maggie", "meg", "peggy", "marge", "margie", "madge"),
        "matthew": ("matt", "matty"),
        "melissa": ("mel", "missy"),
        "michael": ("mike", "mikey", "mick", "mickey"),
        "miriam": ("mimi",),
        "nathaniel": ("nate", "nat"),
        "nicholas": ("nick", "nicky", "nico", "nicolas"),
        "nicole": ("nikki", "nicki"),
        "oliver": ("ollie", "olly"),
        "pamela": ("pam",),
        "patricia": ("trish", "tricia", "patsy", "patty"),
        "patrick": ("pat", "paddy"),
        "peter": ("pete",),
        "philip": ("phil", "phillip", "pip"),
        "rebecca": ("becky", "becca", "becka"),
        "richard": ("rich", "richie", "rick", "ricky", "dick", "rico"),
        "robert": ("bob", "bobby", "rob", "robby", "robbie", "bert"),
        "ronald": ("ron", "ronnie", "ronny"),
        "rosemary": ("rose", "rosie"),
        "samantha": ("sammie",),
        "samuel": ("sam", "sammy"),
        "sarah": ("sara", "sally", "sadie"),
        "stephanie": ("steph", "stephie"),
        "stephen": ("steve", "stevie", "steven"),
        "susan": ("sue", "susie", "suzy"),
        "theodore": ("theo",),
        "thomas": ("tom", "tommy", "thom"),
        "timothy": ("tim", "timmy"),
        "valerie": ("val",),
        "victoria": ("vicky", "vicki", "tori", "vic"),
        "vincent": ("vince", "vinny", "vinnie"),
        "walter": ("walt", "wally"),
        "william": ("bill", "billy", "will", "willy", "willie"),
        "zachary": ("zach", "zack", "zak"),
    }
)


def _index(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, nicknames in table.items():
        for nickname in nicknames:
            # A canonical name never maps elsewhere, so a resolved name resolves to itself.
            if nickname not in table:
                index.setdefault(nickname, canonical)
    return index


# nickname -> canonical name
NICKNAMES: Mapping[str, str] = MappingProxyType(_index(NICKNAMES_OF))


def canonical_first_name(name: str) -> str:
    """The canonical form of a lower-case ASCII first name: "bob" -> "robert"."""
    return NICKNAMES.get(name, name)
