"""Command-line tools: create-owner, seed-demo and expire-checkouts (flask --app wsgi …)."""
import click


def register_cli(app):
    """Attach the commands to the app."""

    @app.cli.command("create-owner")
    @click.option("--username", required=True)
    @click.option("--password", required=True)
    @click.option("--fullname", default=None)
    @click.option("--email", default=None)
    def create_owner_command(username, password, fullname, email):
        """Create an OWNER account, or reset its password and unblock it."""
        from services.demo import create_or_reset_owner
        from services.errors import DomainError

        try:
            user, created = create_or_reset_owner(username, password, fullname, email)
        except DomainError as error:
            raise click.ClickException(f"{error.message} {error.fields or ''}".strip()) from error
        click.echo(f"{'Created' if created else 'Reset'} OWNER {user.username} (id {user.id}).")

    @app.cli.command("expire-checkouts")
    def expire_checkouts_command():
        """Pay or expire the checkouts whose payment did not come in time (asks Midtrans
        first); safe to run again at any time."""
        from services.payments.operations import expire_overdue_checkouts

        counts = expire_overdue_checkouts()
        click.echo(", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
                   or "No overdue checkouts.")

    @app.cli.command("reports-rebuild")
    @click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="The first day (YYYY-MM-DD); default: the first day any order or "
                       "appointment has.")
    @click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="The last day (YYYY-MM-DD); default: the last one.")
    def reports_rebuild_command(first, last):
        """Recompute the report rollups of a range of days from the orders and appointments
        (safe at any time; every write keeps them exact already)."""
        from models import db
        from services.reports.rollups import rebuild, source_span

        span = source_span()
        if span is None and (first is None or last is None):
            click.echo("No orders or appointments: nothing to rebuild.")
            return
        first = first.date() if first else span[0]
        last = last.date() if last else span[1]
        if last < first:
            raise click.ClickException("--to is before --from.")
        counts = rebuild(first, last)
        db.session.commit()
        click.echo(f"Rebuilt {first} … {last}: "
                   + ", ".join(f"{name} {count}" for name, count in counts.items()))

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo data once (running it again changes nothing) and print the owner login."""
        from services.demo import DEMO_OWNER, DEMO_PASSWORD, STAFF, seed_demo

        counts = seed_demo()
        added = ", ".join(f"{name} {count}" for name, count in counts.items() if count) or "nothing new"
        click.echo(f"Demo data: {added}.")
        click.echo(f"Demo owner: username '{DEMO_OWNER['username']}', "
                   f"password '{DEMO_OWNER['password']}' — sign in at /admin/login")
        from services.demo.doctors import DOCTORS

        doctors = [spec["username"] for spec in DOCTORS
                   if spec["username"] not in {row[0] for row in STAFF}]
        others = ", ".join([f"{row[0]} ({'/'.join(row[4])})" for row in STAFF]
                           + [f"{name} (DOCTOR)" for name in doctors])
        click.echo(f"Other demo accounts (password '{DEMO_PASSWORD}'): {others}")
