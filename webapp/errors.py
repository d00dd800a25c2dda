"""Friendly pages for the errors a user can run into; never a bare stack trace."""

from flask import render_template
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("That request was not understood", "Go back and try again."),
    403: ("Not allowed", "You cannot do that here."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "That page does not take this kind of request."),
    413: ("That is too big", "The upload is over the 5 MB limit. Try a smaller file."),
    429: ("Slow down", "Too many tries. Wait a minute and try again."),
    500: ("Something went wrong", "Nothing you saved is lost. Try again in a moment."),
}


def render_error(code, title=None, message=None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("errors/error.html", code=code, title=title or default_title,
                        message=message or default_message),
        code,
    )


def init_app(app):
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return render_error(
            400, "This form has expired",
            "Your session changed since the page was opened (for example you logged in again). "
            "Go back, reload the page and send it again.",
        )
