"""OpenAI chat completions on top of the answerer: messages in, cited answer out.

The conversation becomes one retrieval question: the last user message, with the earlier
user questions prepended when it is a follow-up ("那私营部门呢？", "and what about Japan?")
that means nothing alone. The system message is ignored for retrieval: it is the client's
instruction to a generative model, which this service is not, and its words would only
pull unrelated paragraphs. Assistant turns are ignored too: they are our own quotes, and
retrieving with them would cite the previous answer again.

The reply's content is the answer text with its ``[doc_id#paragraph]`` markers and nothing
else, so plain clients show a citable answer; the structured citations travel in an extra
``citations`` field, on the completion and on the final stream chunk, which OpenAI
clients keep without complaint.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from index.errors import InvalidInputError
from index.text import tokenize
from service.answerer import Answer, Answerer
from service.errors import FieldError
from service.schemas import ChatMessage

# A message starting like this continues the previous question.
_FOLLOW_UP_START = re.compile(
    r"^\s*(?:那么|那|还有|另外|and\b|what\s+about\b|how\s+about\b|what\s+of\b|"
    r"and\s+what\b)",
    re.IGNORECASE,
)
# Words that carry no topic of their own in a follow-up ("tell me more", "详细说明一下").
_FOLLOW_UP_FILLERS = frozenset(
    "还有 一下 详细 说明 解释 具体 更多 其他 其它 请 呢 吗 那 这个 那个 一点 "
    "more detail details explain elaborate tell please else ok okay so why".split()
)
# Earlier user turns kept as context of a chain of follow-ups.
MAX_CONTEXT_TURNS = 3


def message_text(message: ChatMessage) -> str:
    """Return the text of a message: its string content, or its text parts joined."""
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(part.text for part in content if part.type == "text" and part.text)


def is_follow_up(text: str) -> bool:
    """Whether a user message only makes sense with the question before it.

    True when it starts like a continuation (那/那么/还有, "and", "what about", "how
    about", "what of"), or has at most one content word of its own ("What about Japan?",
    "为什么？", "tell me more").
    """
    if _FOLLOW_UP_START.match(text):
        return True
    content_words = {word for word in tokenize(text) if word not in _FOLLOW_UP_FILLERS}
    return len(content_words) <= 1


def retrieval_question(messages: Sequence[ChatMessage], answerer: Answerer) -> str:
    """Return the question to retrieve with for a conversation.

    Args:
        messages: The conversation, oldest first.
        answerer: Supplies the question validation and length limit.

    Returns:
        The last user message, preceded by earlier user questions while it (and they)
        are follow-ups, oldest context dropped first to stay within the length limit.

    Raises:
        FieldError: No user message, or the last one is empty, too long or not text.

    """
    user_turns = [(position, message) for position, message in enumerate(messages)
                  if message.role == "user"]
    if not user_turns:
        raise FieldError("body.messages", "the conversation has no user message; send the "
                         "question as a message with role 'user'")
    position, last = user_turns[-1]
    try:
        question = answerer.validate_question(message_text(last))
    except InvalidInputError as error:
        raise FieldError(f"body.messages.{position}.content", str(error)) from error

    context: list[str] = []
    current = question
    for _, earlier in reversed(user_turns[:-1]):
        if len(context) >= MAX_CONTEXT_TURNS or not is_follow_up(current):
            break
        try:
            current = answerer.validate_question(message_text(earlier))
        except InvalidInputError:
            # History the client replays is no question to refuse: an earlier message
            # that is empty, too long or holds control characters is no context, and
            # neither is anything before it.
            break
        context.insert(0, current)
    while context:
        combined = " ".join([*context, question])
        if len(combined) <= answerer.max_question_chars:
            return combined
        context.pop(0)
    return question


def rough_tokens(text: str) -> int:
    """Count tokens roughly: one per Chinese character, word or punctuation mark."""
    return len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|[^\w\s]", text))


def new_completion_id() -> str:
    """Return a new completion id in OpenAI's format."""
    return f"chatcmpl-{uuid.uuid4().hex}"


def _usage(messages: Sequence[ChatMessage], answer: Answer) -> dict[str, int]:
    prompt = sum(rough_tokens(message_text(m)) for m in messages)
    completion = rough_tokens(answer.answer)
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}


def _citations(answer: Answer) -> list[dict[str, Any]]:
    return [citation.to_dict() for citation in answer.citations]


def completion(answer: Answer, messages: Sequence[ChatMessage], model: str) -> dict[str, Any]:
    """Build the non-streaming chat completion of an answer.

    Args:
        answer: The answerer's result.
        messages: The conversation (for the usage counts).
        model: The model id to report.

    """
    return {
        "id": new_completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": answer.answer},
            "finish_reason": "stop",
            "logprobs": None,
        }],
        "usage": _usage(messages, answer),
        "citations": _citations(answer),
    }


def stream_events(answer: Answer, messages: Sequence[ChatMessage], model: str,
                  include_usage: bool = False) -> Iterator[str]:
    """Server-sent events of a streamed chat completion.

    A role chunk, one content chunk per cited sentence, a final chunk with
    ``finish_reason: "stop"`` and the ``citations``, a usage chunk when asked for, then
    ``data: [DONE]``.

    Args:
        answer: The answerer's result, computed before the stream starts (so errors are
            ordinary error responses, never a broken stream).
        messages: The conversation (for the usage counts).
        model: The model id to report.
        include_usage: Whether the client asked for ``stream_options.include_usage``.

    """
    base = {"id": new_completion_id(), "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model}

    def event(choices: list[dict[str, Any]], **extra: Any) -> str:
        chunk = {**base, "choices": choices, **extra}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    def delta(content: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {"index": 0, "delta": content, "finish_reason": finish_reason,
                "logprobs": None}

    yield event([delta({"role": "assistant", "content": ""})])
    for piece in _pieces(answer):
        yield event([delta({"content": piece})])
    yield event([delta({}, "stop")], citations=_citations(answer))
    if include_usage:
        yield event([], usage=_usage(messages, answer))
    yield "data: [DONE]\n\n"


def _pieces(answer: Answer) -> list[str]:
    """Cut the answer text after each citation marker; joined, the pieces are the answer."""
    text = answer.answer
    pieces = []
    start = 0
    for citation in answer.citations:
        marker = f"[{citation.id}]"
        end = text.find(marker, start)
        if end < 0:
            break
        end += len(marker)
        pieces.append(text[start:end])
        start = end
    if start < len(text):
        pieces.append(text[start:])
    return pieces
