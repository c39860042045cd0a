"""Printable wall posters (上墙海报) for every station, each with a QR code of its web page.

Public API (other modules code against these names):
- ``poster_specs(content, station)``: which posters a station has (cheap; for the station page);
- ``build_posters(content, report, out_dir, site_url, moment, progress=None)``: write them;
- ``printed_fingerprints(content, report, station, site_url)``: what each prints, for ``diff``.
"""

from generator.posters.build import build_posters, printed_fingerprints
from generator.posters.specs import PosterSpec, poster_specs

__all__ = ["PosterSpec", "build_posters", "poster_specs", "printed_fingerprints"]
