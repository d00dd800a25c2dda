"""Queries whose SQL is built once: each page asks the same few questions with new values.

Building a peewee query's SQL text costs more CPU than SQLite takes to answer a small indexed query
(bench/pages.py profiles the home page: 40% of its time went into building SQL). A prepared query is
written as usual with `Param` placeholders where the values go; its SQL is built on first use, once per
kind of database, and every later call only binds the values and turns the rows into models as peewee does.
"""

import json

from peewee import Node

from . import db


class Param(Node):
    """Where a value goes in a prepared query; `field` converts it as peewee would (a date, a UUID...)."""

    def __init__(self, name, field=None):
        self.name = name
        self.field = field

    def __sql__(self, ctx):
        ctx._values.append(self)  # bound to its value on each run
        return ctx.literal(ctx.state.param or "?")

    def bind(self, values):
        value = values[self.name]
        return self.field.db_value(value) if self.field is not None else value


class Ids(Param):
    """A list of ids bound as one value, for `Model.id.in_(Ids("ids"))`: the SQL stays the same whatever the
    length of the list (a JSON array read by json_each on SQLite, an array on PostgreSQL). It is also a
    one-column table of those values, named `value`, to select from."""

    postgres = False
    postgres_type = "integer"

    def __sql__(self, ctx):
        ctx._values.append(self)
        self.postgres = ctx.state.param == "%s"  # each kind of database builds its own copy of the query
        if self.postgres:
            return ctx.literal(f"(SELECT unnest(%s::{self.postgres_type}[]) AS value)")
        return ctx.literal("(SELECT value FROM json_each(?))")

    def bind(self, values):
        items = self.items(values[self.name])
        return items if self.postgres else json.dumps(items)

    def items(self, values):
        return [int(i) for i in values]


class Texts(Ids):
    """A list of texts bound as one value, as Ids binds ids."""

    postgres_type = "text"

    def items(self, values):
        return [str(t) for t in values]


class Prepared:
    """A query built once from `build()`, which returns a peewee query using `Param`s."""

    def __init__(self, build):
        self.build = build
        self._built = {}  # kind of database -> (query, sql, params): SQLite and PostgreSQL differ
        self._row_setup = {}  # kind of database -> how its rows become models (see _models)

    def _query(self, database):
        kind = type(database)
        built = self._built.get(kind)
        if built is None:
            query = self.build()
            sql, params = query.sql()
            built = self._built[kind] = (query, sql, params)
        return built

    def _execute(self, values):
        database = db.database()
        query, sql, params = self._query(database)
        return query, database.execute_sql(sql, [p.bind(values) if isinstance(p, Param) else p for p in params])

    def rows(self, **values):
        """Every row, as the query would give them (models, with joined models attached; or tuples)."""
        query, cursor = self._execute(values)
        return self._models(query, cursor)

    def _models(self, query, cursor):
        """The cursor's rows made into models as peewee makes them. Which column goes to which field of which
        model, and how each value is converted, depends on the query alone, yet peewee works it out again for
        each run (a tenth of the cost of asking for the login and its account on every page): it is worked out
        on the first run and reused, as the SQL is."""
        rows = query._get_cursor_wrapper(cursor)
        kind = type(db.database())
        setup = self._row_setup.get(kind)
        if setup is not None:
            vars(rows).update(setup)
            return list(rows)
        fresh = set(vars(rows))
        made = list(rows)
        if rows.initialized:  # a query that found no row has nothing worked out yet
            self._row_setup[kind] = {k: v for k, v in vars(rows).items() if k not in fresh or k == "initialized"}
        return made

    def tuples(self, **values):
        """Every row as the database gives it, as tuples: no model is made (for rows only shown)."""
        _, cursor = self._execute(values)
        return cursor.fetchall()

    def first(self, **values):
        rows = self.rows(**values)
        return rows[0] if rows else None

    def scalar(self, **values):
        rows = self.rows(**values)
        return rows[0][0] if rows else None

    def run(self, **values):
        """Run an UPDATE or DELETE; returns how many rows it changed."""
        _, cursor = self._execute(values)
        return cursor.rowcount


class PreparedInsert(Prepared):
    """An INSERT of one row of a model, every column a `Param`: `create(**values)` does what
    `Model.create()` does (defaults filled in, the new id set) without building the SQL again."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
        super().__init__(lambda: model.insert({f: Param(f.name, f) for f in self.fields}))

    def create(self, **values):
        row = self.model(**values)
        query, cursor = self._execute({f.name: row.__data__.get(f.name) for f in self.fields})
        # PostgreSQL answers the new id through RETURNING, which peewee adds to its INSERTs there.
        row.id = cursor.fetchone()[0] if query._returning else cursor.lastrowid
        row._dirty.clear()
        return row
