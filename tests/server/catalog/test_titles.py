from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadbase.server.catalog.titles import DEPARTMENTS, SENIORITIES, title_facets

TITLES = [
    # c-suite, founders, owners, partners
    ("CEO", "c_suite", "executive"),
    ("Chief Executive Officer", "c_suite", "executive"),
    ("President & CEO", "c_suite", "executive"),
    ("President", "c_suite", "executive"),
    ("Founder & CEO", "founder", "executive"),
    ("Co-Founder and CTO", "founder", "engineering"),
    ("Cofounder", "founder", "executive"),
    ("CTO", "c_suite", "engineering"),
    ("Chief Technology Officer", "c_suite", "engineering"),
    ("CFO", "c_suite", "finance"),
    ("Chief Financial Officer", "c_suite", "finance"),
    ("COO", "c_suite", "operations"),
    ("Chief Operating Officer", "c_suite", "operations"),
    ("CMO", "c_suite", "marketing"),
    ("Chief Marketing Officer", "c_suite", "marketing"),
    ("Chief Revenue Officer", "c_suite", "sales"),
    ("Chief People Officer", "c_suite", "hr"),
    ("CHRO", "c_suite", "hr"),
    ("CIO", "c_suite", "it"),
    ("Chief Information Security Officer", "c_suite", "it"),
    ("Chief Product Officer", "c_suite", "product"),
    ("Chief Data Officer", "c_suite", "data"),
    ("Chief Medical Officer", "c_suite", "medical"),
    ("Managing Director", "c_suite", "executive"),
    ("Executive Director", "c_suite", "executive"),
    ("Chairman of the Board", "c_suite", "executive"),
    ("Board Member", "c_suite", "executive"),
    ("Geschäftsführer", "c_suite", "executive"),
    ("Owner", "owner", "executive"),
    ("Business Owner", "owner", "executive"),
    ("Co-Owner", "owner", "executive"),
    ("Self-employed", "owner", "executive"),
    ("Managing Partner", "partner", "executive"),
    ("Partner", "partner", "executive"),
    ("Partner at McKinsey & Company", "partner", "executive"),
    # vice presidents, heads, directors
    ("VP of Engineering", "vp", "engineering"),
    ("Vice President, Sales", "vp", "sales"),
    ("Vice-President Marketing", "vp", "marketing"),
    ("V.P. Operations", "vp", "operations"),
    ("SVP, Global Sales", "vp", "sales"),
    ("EVP Finance", "vp", "finance"),
    ("Senior Vice President of Product", "vp", "product"),
    ("Head of Product", "head", "product"),
    ("Head of Talent Acquisition", "head", "hr"),
    ("Head of Data at Acme Software", "head", "data"),
    ("Director of Engineering", "director", "engineering"),
    ("Dir. of Sales", "director", "sales"),
    ("Senior Director, Product Marketing", "director", "marketing"),
    ("Art Director", "director", "design"),
    ("Creative Director", "director", "design"),
    ("Chief of Staff", "director", "executive"),
    # managers
    ("Engineering Manager", "manager", "engineering"),
    ("Mktg Mgr", "manager", "marketing"),
    ("Business Development Manager", "manager", "sales"),
    ("Customer Success Manager", "manager", "support"),
    ("Product Manager", "manager", "product"),
    ("IT Manager", "manager", "it"),
    ("Operations Manager", "manager", "operations"),
    ("Office Manager", "manager", "operations"),
    ("Project Manager", "manager", "operations"),
    ("Partner Manager", "manager", "sales"),
    ("General Manager", "manager", "operations"),
    ("Nurse Manager", "manager", "medical"),
    ("Shift Supervisor", "manager", "other"),
    # senior individual contributors
    ("Sr. Software Engineer", "senior", "engineering"),
    ("Senior Software Engineer", "senior", "engineering"),
    ("Staff Software Engineer", "senior", "engineering"),
    ("Principal Engineer", "senior", "engineering"),
    ("Lead Data Scientist", "senior", "data"),
    ("Tech Lead", "senior", "engineering"),
    ("Team Lead, Customer Support", "senior", "support"),
    ("Sr. Account Executive", "senior", "sales"),
    ("Software Engineer III", "senior", "engineering"),
    # entry level
    ("Software Engineer", "entry", "engineering"),
    ("Junior Developer", "entry", "engineering"),
    ("Jr. Frontend Developer", "entry", "engineering"),
    ("DevOps Engineer", "entry", "engineering"),
    ("QA Engineer", "entry", "engineering"),
    ("Solutions Architect", "entry", "engineering"),
    ("Data Analyst", "entry", "data"),
    ("Machine Learning Engineer", "entry", "data"),
    ("Account Executive", "entry", "sales"),
    ("AE", "entry", "sales"),
    ("Sales Development Representative", "entry", "sales"),
    ("SDR", "entry", "sales"),
    ("BDR", "entry", "sales"),
    ("Sales Engineer", "entry", "sales"),
    ("Customer Support Specialist", "entry", "support"),
    ("Technical Support Engineer", "entry", "support"),
    ("Product Owner", "entry", "product"),
    ("Product Designer", "entry", "design"),
    ("UX Designer", "entry", "design"),
    ("Graphic Designer", "entry", "design"),
    ("HR Business Partner", "entry", "hr"),
    ("Talent Acquisition Partner", "entry", "hr"),
    ("Recruiter", "entry", "hr"),
    ("Financial Analyst", "entry", "finance"),
    ("Controller", "entry", "finance"),
    ("Staff Accountant", "entry", "finance"),
    ("General Counsel", "entry", "legal"),
    ("Paralegal", "entry", "legal"),
    ("Network Administrator", "entry", "it"),
    ("Registered Nurse", "entry", "medical"),
    ("RN", "entry", "medical"),
    ("Teacher", "entry", "education"),
    ("Professor of Economics", "entry", "education"),
    ("Management Consultant", "entry", "consulting"),
    ("Marketing Coordinator", "entry", "marketing"),
    ("Lead Generation Specialist", "entry", "marketing"),
    ("Executive Assistant to the CEO", "entry", "operations"),
    ("Assistant to the President", "entry", "other"),
    ("Barista", "entry", "other"),
    # interns
    ("Intern", "intern", "other"),
    ("Marketing Intern", "intern", "marketing"),
    ("Software Engineering Intern", "intern", "engineering"),
    ("Summer Intern, Finance", "intern", "finance"),
    ("Werkstudent Vertrieb", "intern", "other"),
    # no seniority
    ("Retired", None, "other"),
]


@pytest.mark.parametrize(("title", "seniority", "department"), TITLES)
def test_title_facets_of_real_titles(title: str, seniority: str | None, department: str) -> None:
    assert title_facets(title) == (seniority, department)


@pytest.mark.parametrize(("title", "seniority", "department"), TITLES[::7])
def test_title_facets_ignore_case_and_spacing(
    title: str, seniority: str | None, department: str
) -> None:
    assert title_facets(f"  {title.upper()} ") == (seniority, department)
    assert title_facets(title.lower()) == (seniority, department)


@pytest.mark.parametrize("title", [None, "", "   ", "---", "!!!"])
def test_no_title_has_no_facets(title: str | None) -> None:
    assert title_facets(title) == (None, None)


def test_the_taxonomy_names_every_level_and_department() -> None:
    assert SENIORITIES == (
        "owner",
        "founder",
        "c_suite",
        "partner",
        "vp",
        "head",
        "director",
        "manager",
        "senior",
        "entry",
        "intern",
    )
    assert "other" in DEPARTMENTS and len(set(DEPARTMENTS)) == 17
    found = {(seniority, department) for _, seniority, department in TITLES}
    assert {seniority for seniority, _ in found} >= set(SENIORITIES)
    assert {department for _, department in found} == set(DEPARTMENTS)


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=80))
def test_title_facets_of_any_text_are_in_the_taxonomy(title: str) -> None:
    seniority, department = title_facets(title)
    assert seniority is None or seniority in SENIORITIES
    assert department is None or department in DEPARTMENTS
    assert (seniority is None and department is None) or department is not None
