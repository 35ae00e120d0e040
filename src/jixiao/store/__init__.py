"""Storage for the web app: SQLAlchemy models, the database, content-addressed files, ingest.

``Database(url)`` connects (SQLite file by default, PostgreSQL by URL), ``migrate()`` brings
the schema up to date (Alembic), ``Store`` uploads a file once and for all (see
:mod:`jixiao.store.ingest`).
"""
