"""A region for the server benchmarks (issue 6). See generate.py for what it holds and the manifest's format.

    from benchmarks.region.generate import generate, load_manifest, next_client_seqs
    python -m benchmarks.region.generate --size tiny|quick|full --database-url URL [--days N] [--reuse]
"""
