"""SMTP settings: a TOML file in the user config folder, then FLARE_SMTP_*
environment variables on top. The password is never in the file.
"""

from __future__ import annotations

import json
import os
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from platformdirs import user_config_dir

from .errors import FlareError
from .filenames import exports_folder

APP_NAME = "flare-tui"
#: The keyring service the SMTP password is looked up under (user = the
#: SMTP user name): `keyring set flare-tui-smtp USER`.
KEYRING_SERVICE = "flare-tui-smtp"
SECURITY_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
PLACEHOLDERS = ("customer", "period", "closing_balance", "business")

DEFAULT_SUBJECT = "Statement of account {period} — {business}"
DEFAULT_BODY = """\
Dear {customer},

Please find attached your statement of account for {period}.
Closing balance: {closing_balance}.

If you have any questions about it, just reply to this e-mail.

Kind regards,
{business}
"""

#: Environment variables and the setting each one overrides.
ENV_VARS = {
    "FLARE_SMTP_HOST": "host",
    "FLARE_SMTP_PORT": "port",
    "FLARE_SMTP_SECURITY": "security",
    "FLARE_SMTP_USER": "user",
    "FLARE_SMTP_FROM": "from_address",
    "FLARE_SMTP_FROM_NAME": "from_name",
    "FLARE_SMTP_TIMEOUT": "timeout",
    "FLARE_SMTP_CA_FILE": "ca_file",
}


class MailSettingsError(FlareError):
    """The e-mail settings are missing or wrong."""

    title = "E-mail settings"


@dataclass(frozen=True)
class MailSettings:
    """How statements are e-mailed: the server, the sender and the wording."""

    host: str = ""
    port: int = 0  # 0: the usual port of the security mode
    security: str = "starttls"
    user: str = ""  # empty: the server needs no login
    from_address: str = ""
    from_name: str = ""
    timeout: float = 30.0  # seconds, for every connect, read and write
    ca_file: str = ""  # extra trusted certificates (a private mail server)
    subject_template: str = DEFAULT_SUBJECT
    body_template: str = DEFAULT_BODY

    @property
    def effective_port(self) -> int:
        """The port to connect to."""
        return self.port or DEFAULT_PORTS[self.security]

    def check(self) -> MailSettings:
        """Raise MailSettingsError unless statements can be sent with these."""
        if not self.host:
            raise MailSettingsError(
                "no mail server is set: set FLARE_SMTP_HOST or 'host' in "
                f"{config_path()}"
            )
        if not self.from_address:
            raise MailSettingsError(
                "no sender address is set: set FLARE_SMTP_FROM or 'from_address'"
                f" in {config_path()}"
            )
        return self


def config_path() -> Path:
    """The mail settings file: $FLARE_MAIL_CONFIG, else mail.toml in the user
    config folder (e.g. ~/.config/flare-tui/mail.toml)."""
    override = os.environ.get("FLARE_MAIL_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir(APP_NAME)) / "mail.toml"


def exports_dir() -> Path:
    """Where statement PDFs are written (see filenames.exports_folder)."""
    return exports_folder()


def _coerce(name: str, value: object, where: str) -> object:
    try:
        if name == "port":
            port = int(str(value))
            if not 0 <= port <= 65535:
                raise ValueError
            return port
        if name == "timeout":
            timeout = float(str(value))
            if not 0 < timeout <= 600:
                raise ValueError
            return timeout
    except ValueError:
        raise MailSettingsError(f"{where}: {name} {value!r} is not valid") from None
    text = str(value)
    if name == "security":
        text = text.strip().lower()
        if text not in SECURITY_MODES:
            raise MailSettingsError(
                f"{where}: security {value!r} must be one of "
                + ", ".join(SECURITY_MODES)
            )
    if name in ("subject_template", "body_template"):
        check_template(text, name.replace("_", " "))
    return text if name.endswith("template") else text.strip()


def load_mail_settings(
    path: str | Path | None = None, env: Mapping[str, str] | None = None
) -> MailSettings:
    """The file's settings with the environment's on top (validated)."""
    file = Path(path) if path is not None else config_path()
    env = os.environ if env is None else env
    known = {f.name for f in fields(MailSettings)}
    values: dict[str, object] = {}
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise MailSettingsError(f"cannot read {file}: {error}") from None
        section = data.get("smtp", data)
        for name, value in section.items():
            if name == "password":
                raise MailSettingsError(
                    f"{file} holds a password: remove it and use "
                    "FLARE_SMTP_PASSWORD or the system keyring"
                )
            if name not in known:
                raise MailSettingsError(f"{file}: unknown setting {name!r}")
            values[name] = _coerce(name, value, str(file))
    for var, name in ENV_VARS.items():
        if env.get(var):
            values[name] = _coerce(name, env[var], var)
    return MailSettings(**values)  # type: ignore[arg-type]


def save_mail_settings(settings: MailSettings, path: str | Path | None = None) -> Path:
    """Write the settings file (there is no password field to write)."""
    file = Path(path) if path is not None else config_path()
    lines = ["# Flare e-mail settings. The password is never stored here:", "#"]
    lines.append("# use FLARE_SMTP_PASSWORD or `keyring set flare-tui-smtp USER`.")
    lines.append("[smtp]")
    for field in fields(MailSettings):
        value = getattr(settings, field.name)
        # JSON strings are valid TOML basic strings.
        shown = value if isinstance(value, int | float) else json.dumps(value)
        lines.append(f"{field.name} = {shown}")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def check_template(template: str, what: str = "template") -> str:
    """Refuse a template with a placeholder we do not fill, or bad braces."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise MailSettingsError(
            f"{what}: {error} (write {{{{ and }}}} for a literal brace)"
        ) from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            raise MailSettingsError(
                f"{what}: unknown placeholder {{{field}}}; use "
                + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            )
    return template


def fill_template(template: str, values: Mapping[str, str], what: str) -> str:
    """The template with its placeholders filled (checked first)."""
    check_template(template, what)
    return template.format_map(dict(values))


def with_changes(settings: MailSettings, **changes: object) -> MailSettings:
    """A copy with some settings changed and validated (for a settings form)."""
    checked = {k: _coerce(k, v, "settings") for k, v in changes.items()}
    return replace(settings, **checked)  # type: ignore[arg-type]
