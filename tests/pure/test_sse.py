"""The sans-I/O server-sent-events decoder and encoder."""

from hypothesis import given
from hypothesis import strategies as st

from xpander_pure._sse import SseDecoder, SseEvent, encode_sse, encode_sse_comment


def decode_all(*chunks: bytes) -> list[SseEvent]:
    decoder = SseDecoder()
    events: list[SseEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events


def test_an_event_is_dispatched_at_the_blank_line() -> None:
    assert decode_all(b"event: agent-execution\ndata: {}\n\n") == [
        SseEvent(event="agent-execution", data="{}")
    ]


def test_nothing_is_dispatched_before_the_blank_line() -> None:
    assert decode_all(b"event: x\ndata: 1\n") == []


def test_an_event_without_a_name_is_a_message() -> None:
    assert decode_all(b"data: hi\n\n") == [SseEvent(event="message", data="hi")]


def test_data_lines_join_with_newlines() -> None:
    assert decode_all(b"data: a\ndata: b\n\n")[0].data == "a\nb"


def test_comments_are_ignored() -> None:
    assert decode_all(b": keep-alive\n\n: more\ndata: x\n\n") == [SseEvent(data="x")]


def test_a_blank_line_without_data_dispatches_nothing_and_forgets_the_name() -> None:
    assert decode_all(b"event: lonely\n\ndata: x\n\n") == [SseEvent(event="message", data="x")]


def test_crlf_and_cr_end_lines_too() -> None:
    assert decode_all(b"event: e\r\ndata: 1\r\n\r\nevent: f\rdata: 2\r\r") == [
        SseEvent(event="e", data="1"),
        SseEvent(event="f", data="2"),
    ]


def test_a_crlf_split_across_chunks_counts_once() -> None:
    assert decode_all(b"data: 1\r", b"\n\r", b"\n") == [SseEvent(data="1")]


def test_an_empty_chunk_between_cr_and_lf_changes_nothing() -> None:
    assert decode_all(b"data: 1\r", b"", b"\ndata: 2\n\n") == [SseEvent(data="1\n2")]


@given(st.binary(max_size=60), st.integers(min_value=1, max_value=9))
def test_chunking_never_changes_the_events(stream: bytes, size: int) -> None:
    chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
    assert decode_all(*chunks) == decode_all(stream)


def test_a_multibyte_character_split_across_chunks_survives() -> None:
    encoded = "data: héllo\n\n".encode()
    cut = encoded.index("é".encode()) + 1
    assert decode_all(encoded[:cut], encoded[cut:]) == [SseEvent(data="héllo")]


def test_only_one_leading_space_of_a_value_is_dropped() -> None:
    assert decode_all(b"data:  two\ndata:none\n\n")[0].data == " two\nnone"


def test_the_last_id_is_remembered_for_later_events() -> None:
    events = decode_all(b"id: 7\ndata: a\n\ndata: b\n\n")
    assert [e.id for e in events] == ["7", "7"]


def test_an_id_with_nul_is_ignored() -> None:
    assert decode_all(b"id: a\x00b\ndata: x\n\n")[0].id is None


def test_retry_takes_digits_only() -> None:
    events = decode_all(b"retry: 1500\ndata: a\n\nretry: soon\ndata: b\n\n")
    assert [e.retry for e in events] == [1500, None]


def test_a_leading_byte_order_mark_is_dropped() -> None:
    assert decode_all("\ufeffevent: e\ndata: 1\n\n".encode()) == [SseEvent(event="e", data="1")]


def test_an_unterminated_event_at_close_is_discarded() -> None:
    decoder = SseDecoder()
    decoder.feed(b"data: half")
    assert decoder.close() == []


def test_encoding_splits_multiline_data() -> None:
    assert encode_sse("e", "a\r\nb", id="1") == b"event: e\nid: 1\ndata: a\ndata: b\n\n"


def test_encoding_cannot_inject_lines_through_the_event_name() -> None:
    assert decode_all(encode_sse("e\ndata: evil", "ok")) == [
        SseEvent(event="e data: evil", data="ok")
    ]


def test_a_comment_decodes_to_nothing() -> None:
    assert decode_all(encode_sse_comment("ping\nx")) == []


# A byte-order mark opening the stream is dropped on purpose, so names avoid it.
names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff"), min_size=1
).filter(str.strip)


@given(
    st.lists(st.tuples(names, st.text(st.characters(blacklist_categories=("Cs",))))),
    st.integers(min_value=1, max_value=7),
)
def test_encoded_events_decode_back_whatever_the_chunking(
    pairs: list[tuple[str, str]], size: int
) -> None:
    stream = b"".join(encode_sse(name, data) for name, data in pairs)
    chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
    expected = [
        (
            name.replace("\r", " ").replace("\n", " "),
            data.replace("\r\n", "\n").replace("\r", "\n"),
        )
        for name, data in pairs
    ]
    assert [(e.event, e.data) for e in decode_all(*chunks)] == expected
