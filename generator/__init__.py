"""stationsite: public website, wall posters and open data for county civil-affairs service stations.

The core (load → validate → model → render) lives in this package and runs without MkDocs;
``generator.site.mkdocs_plugin`` is the thin adapter that hands the generated pages to MkDocs.
"""

__version__ = "0.1.0"
