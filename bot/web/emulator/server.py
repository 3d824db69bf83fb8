"""BotApiEmulator: the HTTP side (Starlette on uvicorn, the project's one server stack) tying
spec checks, methods and simulation together."""

from __future__ import annotations

import inspect
import itertools
import json
from typing import Any, NamedTuple

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.web.server import WebServer

from .asgi import CancelOnDisconnect, DroppedConnection
from .errors import ApiError
from .files import FileStore
from .methods import BotMethods, Req
from .simulation import Simulation
from .spec import Problem, UploadedFile, load_spec
from .state import Ids, SimUser
from .updates import UpdateQueue
from .webhook import WebhookDelivery

_BAD_GATEWAY_HTML = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                     b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
                     b"</body>\r\n</html>\r\n")
_MISSING = {"chat_id": "chat_id is empty", "text": "message text is empty",
            "message_id": "message identifier is not specified", "file_id": "file_id not specified"}
_FILE_PARAMS = {"photo", "document", "video", "voice", "audio", "animation", "sticker", "video_note"}


class Request(NamedTuple):
    method: str
    params: dict


class _Failure:
    def __init__(self, status: int, retry_after: int, times: int, network: bool, description: str | None,
                 chat_id: int | None = None):
        self.status, self.retry_after, self.times = status, retry_after, times
        self.network, self.description, self.chat_id = network, description, chat_id


class BotApiEmulator(BotMethods, Simulation, UpdateQueue, WebhookDelivery):
    """A local Telegram Bot API for end-to-end tests. See bot/web/emulator/README.md."""

    def __init__(self, token: str = "123456:TEST-token", bot_username: str = "test_bot", *,
                 bot_name: str | None = None, host: str = "127.0.0.1") -> None:
        self.token = token
        self.host = host
        self.spec = load_spec()
        self.ids = Ids()
        self.bot = SimUser(int(token.split(":", 1)[0]), bot_name or bot_username.replace("_", " ").title(),
                           username=bot_username, is_bot=True)
        self.users: dict[int, SimUser] = {}
        self.chats: dict = {}
        self.messages: dict[int, dict] = {}
        self.files = FileStore(self.ids)
        self.callbacks: dict[str, dict] = {}
        self.commands: dict[str, list] = {}
        self.menu_buttons: dict = {}
        self.keyboards: dict[int, dict | None] = {}
        self.bot_admin: dict[int, bool] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.unhandled_methods: list[str] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._request_ids = itertools.count(1)
        self._web: WebServer | None = None
        self.port: int | None = None
        self._init_updates()
        self._init_webhook()

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> BotApiEmulator:
        app = Starlette(routes=[
            Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
        ])
        # As Telegram's server: a request whose client went away is not worked on further
        # (a long poll abandoned by a stopping bot hands its updates to nobody).
        self._web = WebServer(f"{self.host}:0", app=CancelOnDisconnect(app), name="bot-api-emulator")
        await self._web.start()
        self.port = self._web.port
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        await self._stop_webhook()
        if self._web is not None:
            await self._web.stop()
            self._web = None

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    # -- error injection -------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, times: int = 1, *,
                  network: bool = False, description: str | None = None,
                  chat_id: int | None = None) -> None:
        """The next ``times`` calls of ``method`` fail: 429 (RetryAfter), 500, 502, any status with
        ``description``, or ``network=True`` to drop the connection without an answer.
        With ``chat_id``, only calls to that chat fail (and count)."""
        self._failures.setdefault(method.lower(), []).append(
            _Failure(status, retry_after, times, network, description, chat_id))

    def _take_failure(self, method: str, params: dict | None = None) -> _Failure | None:
        queue = self._failures.get(method.lower())
        if not queue:
            return None
        failure = next((f for f in queue if f.chat_id is None
                        or str(f.chat_id) == str((params or {}).get("chat_id"))), None)
        if failure is None:
            return None
        failure.times -= 1
        if failure.times <= 0:
            queue.remove(failure)
        return failure

    def _injected(self, method: str, f: _Failure) -> Response:
        if f.status == 502 and f.description is None:
            self.errors.append(f"{method}: injected 502 Bad Gateway")
            return Response(_BAD_GATEWAY_HTML, status_code=502, media_type="text/html")
        description = f.description or {429: f"Too Many Requests: retry after {f.retry_after}",
                                         500: "Internal Server Error"}.get(f.status, "Bad Request")
        err = ApiError(f.status, description, violation=False,
                       parameters={"retry_after": f.retry_after} if f.status == 429 else None)
        self.errors.append(f"{method}: injected {f.status} {description}")
        return JSONResponse(err.payload(), status_code=f.status)

    # -- HTTP --------------------------------------------------------------------------------
    async def _handle(self, request: HttpRequest) -> Response:
        raw_method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            self.violations.append(f"{raw_method}: request with a wrong bot token")
            return _unauthorized()
        method = self.spec.method_name(raw_method)
        if method is None:
            self.violations.append(f"{raw_method}: no such Bot API method")
            return _not_found()
        rid = next(self._request_ids)
        polling = method == "getUpdates"
        if not polling:
            self._in_flight[rid] = method
            self._touch()
        try:
            params, files = await self._read_params(request)
            checked = self.spec.check_params(method, params, files)
            self.requests.append(Request(method, checked.value if not checked.errors else params))
            for note in checked.notes:
                self.violations.append(f"{method}: {note}")
            if checked.errors:
                for p in checked.errors:
                    self.violations.append(f"{method}: {p.path}: {p.message}")
                err = ApiError(400, self._describe(checked.errors[0]))
                return JSONResponse(err.payload(), status_code=400)
            failure = self._take_failure(method, checked.value)
            if failure is not None and failure.network:
                self.errors.append(f"{method}: injected network failure (connection dropped)")
                return DroppedConnection()
            if failure is not None:
                return self._injected(method, failure)
            return JSONResponse({"ok": True, "result": await self._call(method, checked.value, files)})
        except ApiError as err:
            self._file_error(method, err)
            return JSONResponse(err.payload(), status_code=err.code)
        finally:
            if not polling:
                self._in_flight.pop(rid, None)
                self._touch()

    async def _call(self, method: str, params: dict, files: dict[str, UploadedFile]) -> Any:
        req = Req(method, params, files)
        handler = getattr(self, f"api_{method}", None)
        try:
            if handler is None:
                if method not in self.unhandled_methods:
                    self.unhandled_methods.append(method)
                return True
            result = handler(req, params)
            return await result if inspect.isawaitable(result) else result
        finally:
            for note in req.notes:
                self.violations.append(f"{method}: {note}")

    def _file_error(self, method: str, err: ApiError) -> None:
        text = f"{method}: {err.code} {err.description}"
        if err.detail:
            text += f" ({err.detail})"
        (self.violations if err.violation else self.errors).append(text)

    @staticmethod
    def _describe(p: Problem) -> str:
        top = p.path.split(".", 1)[0].split("[", 1)[0]
        if p.path == top and p.message == "missing":
            if top in _FILE_PARAMS:
                return f"Bad Request: there is no {top} in the request"
            return f"Bad Request: {_MISSING.get(top, f'parameter {chr(34)}{top}{chr(34)} is required')}"
        if ".inline_keyboard[" in p.path:
            return f"Bad Request: can't parse inline keyboard button: {p.message}"
        if p.message.startswith("Can't parse"):
            name = "reply keyboard markup" if top == "reply_markup" else top
            return f"Bad Request: can't parse {name} JSON object"
        if p.type_name:
            return f"Bad Request: can't parse {p.type_name}: {p.message}"
        return f"Bad Request: wrong parameter {top}: {p.message}"

    async def _read_params(self, request: HttpRequest) -> tuple[dict, dict[str, UploadedFile]]:
        params: dict[str, Any] = dict(request.query_params)
        files: dict[str, UploadedFile] = {}
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type == "application/json":
            body = await request.body()
            if body:
                try:
                    data = json.loads(body)
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON request body") from None
                if not isinstance(data, dict):
                    raise ApiError(400, "Bad Request: JSON request body must be an object")
                params.update(data)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            async with request.form() as form:
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        files[key] = UploadedFile(key, value.filename, value.content_type,
                                                  await value.read())
                    else:
                        params[key] = value
        return params, files

    async def _file(self, request: HttpRequest) -> Response:
        if request.path_params["token"] != self.token:
            return _unauthorized()
        f = self.files.by_path.get(request.path_params["path"])
        if f is None:
            return _not_found()
        return Response(f.data, media_type="application/octet-stream")


def _unauthorized() -> Response:
    return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)


def _not_found() -> Response:
    return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)
