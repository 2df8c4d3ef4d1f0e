"""The resources of a client, one module per domain, each with a sync and an async class."""

from leadbase.resources.account import Account, AsyncAccount
from leadbase.resources.api_keys import ApiKeys, AsyncApiKeys
from leadbase.resources.catalog import AsyncCatalog, Catalog
from leadbase.resources.companies import AsyncCompanies, Companies
from leadbase.resources.errors import AsyncErrors, Errors
from leadbase.resources.openings import AsyncOpenings, Openings
from leadbase.resources.people import AsyncPeople, People
from leadbase.resources.phones import AsyncPhones, Phones
from leadbase.resources.preview import AsyncPreview, Preview
from leadbase.resources.search import AsyncSearch, Search

__all__ = [
    "Account",
    "ApiKeys",
    "AsyncAccount",
    "AsyncApiKeys",
    "AsyncCatalog",
    "AsyncCompanies",
    "AsyncErrors",
    "AsyncOpenings",
    "AsyncPeople",
    "AsyncPhones",
    "AsyncPreview",
    "AsyncSearch",
    "Catalog",
    "Companies",
    "Errors",
    "Openings",
    "People",
    "Phones",
    "Preview",
    "Search",
]
