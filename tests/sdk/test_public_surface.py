"""The SDK's public names are what leadbase/__init__.py exports; this test pins them."""

from __future__ import annotations

from importlib.metadata import version

import leadbase

PUBLIC = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Account",
    "ApiKey",
    "AsyncLeadbase",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "BulkCompaniesEnrichment",
    "BulkPeopleEnrichment",
    "BulkResult",
    "BulkSummary",
    "CallingKey",
    "CatalogCompanyRow",
    "CatalogOpeningRow",
    "CatalogPersonRow",
    "Company",
    "CompanyEnrichment",
    "CompanyFilters",
    "CompanyIdentifiers",
    "CompanyRow",
    "CompanyRowResult",
    "CompanySummary",
    "ConflictError",
    "Count",
    "CreatedApiKey",
    "Credits",
    "Customer",
    "EmailAddress",
    "ErrorCode",
    "ErrorInfo",
    "InsufficientCreditsError",
    "InternalServerError",
    "Leadbase",
    "LeadbaseError",
    "ListResult",
    "Location",
    "LocationFilter",
    "LocationParts",
    "Match",
    "Meta",
    "Model",
    "NotFoundError",
    "Opening",
    "OpeningFilters",
    "Page",
    "PayloadTooLargeError",
    "PeopleFilters",
    "PermissionDeniedError",
    "Person",
    "PersonEnrichment",
    "PersonIdentifiers",
    "PersonPreview",
    "PersonRow",
    "PersonRowResult",
    "PhoneFormats",
    "PhoneNumber",
    "PhoneValidation",
    "RateLimitError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "Transaction",
    "UpsertResult",
    "UpsertRowResult",
    "UpsertSummary",
    "UsageLine",
    "WebhookVerificationError",
    "__version__",
    "parse_error_body",
    "webhooks",
]

RESOURCES = {
    "account": ["get", "transactions", "usage"],
    "api_keys": ["create", "list", "revoke"],
    "companies": ["enrich", "enrich_bulk", "enrich_many", "get"],
    "errors": ["list"],
    "openings": ["get"],
    "people": ["enrich", "enrich_bulk", "enrich_many", "get"],
    "phones": ["validate"],
    "preview": ["people"],
    "search": [
        "companies",
        "count_companies",
        "count_openings",
        "count_people",
        "openings",
        "people",
    ],
}


def test_the_public_names_are_pinned() -> None:
    assert sorted(leadbase.__all__) == PUBLIC
    for name in PUBLIC:
        assert hasattr(leadbase, name), name


def test_every_status_error_is_an_api_status_error() -> None:
    errors = [getattr(leadbase, name) for name in PUBLIC if name.endswith("Error")]
    status = [error for error in errors if issubclass(error, leadbase.APIStatusError)]
    assert len(status) == 11  # APIStatusError and its ten subclasses
    assert all(issubclass(error, leadbase.LeadbaseError) for error in errors)
    assert issubclass(leadbase.APITimeoutError, leadbase.APIConnectionError)


def test_both_clients_have_the_same_resources_and_methods() -> None:
    for client_class in (leadbase.Leadbase, leadbase.AsyncLeadbase):
        client = client_class(api_key="lb_live_x")
        for resource, methods in RESOURCES.items():
            found = sorted(
                name for name in dir(getattr(client, resource)) if not name.startswith("_")
            )
            assert found == methods, (client_class.__name__, resource)


def test_the_version_is_the_distribution_version() -> None:
    assert leadbase.__version__ == version("leadbase")


def test_webhooks_verify_is_reachable_from_the_package() -> None:
    assert callable(leadbase.webhooks.verify)
