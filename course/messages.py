"""The message catalogue: every trainee-facing sentence in one place.

Widgets and library messages call :func:`t` (or :func:`tn` for a count) with
a message id. ``CATALOGUE["en"]`` is the source; every other language is a
translation of it in a PO file (``course/i18n/locale/<lang>/messages.po``,
see :mod:`course.i18n.catalogues`), not a fork of the code. The language is
``COURSE_LANG`` when set, else the language the course in use was built in
(the ``lang`` of its answer key), else English; a message without a current
translation falls back to English (``course i18n check`` reports it).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        # answer key and grading
        "key.missing": (
            "The answer key is not available ({path}): this hidden test cannot be graded. "
            "Instructor: run `course build` on the grading machine."
        ),
        "key.unreadable": (
            "The answer key at {path} cannot be read ({reason}). "
            "Instructor: rebuild it with `course build`."
        ),
        "key.no_entry": (
            "The answer key has no entry '{grade_id}'. "
            "Instructor: rebuild the key with `course build`."
        ),
        "answer.unanswered": (
            "{grade_id}: no answer yet - replace `raise NotImplementedError()` with your code."
        ),
        "answer.wrong": "{grade_id}: this is not what the data gives. {hint}",
        "verdict.not_run": "{grade_id}: this test did not run (the notebook stopped before it).",
        "verdict.no_record": (
            "{grade_id}: the hidden test could not check the answer (it was not recorded)."
        ),
        "answer.not_plain": (
            "{grade_id}: the answer must be plain data (a number, text, True/False, None, or a "
            "list or dict of them), not {kind}."
        ),
        "answer.not_function": "{grade_id}: this answer must be a function (define it with def).",
        "answer.wrong_call": "{grade_id}: wrong result for ({args}). {hint}",
        "answer.recorded_twice": (
            "{grade_id}: the answer was recorded more than once, so none of them counts."
        ),
        "feedback.not_graded": "not graded yet",
        "feedback.score": "Score",
        "verdict.no_check": (
            "{grade_id}: this test has no hidden check through the answer key, so it cannot "
            "give points. Instructor: the test cell must call course.grading.expect."
        ),
        "answer.wrong_type": ("{grade_id}: expected {expected_type}, got {actual_type}. {hint}"),
        # release: what stands where a solution was removed (non-English releases)
        "release.code_stub": "YOUR CODE HERE",
        "release.not_done": (
            "Exercise not done yet: replace this line with your code, then run the cell again."
        ),
        "release.text_stub": "YOUR ANSWER HERE (write in Russian or English)",
        # day 0 widget
        "seizures.city_label": "City",
        "seizures.more_than_label": "Weight more than",
        "seizures.not_table": (
            "SeizureExplorer needs the seizure table (from read_table(...)), not {kind}."
        ),
        "seizures.grams": "{grams:g} g",
        "seizures.missing_columns": (
            "The table lacks the column(s) {columns}: give SeizureExplorer the seizure table."
        ),
        "seizures.any_city": "(all cities)",
        "seizures.summary.one": "{count} seizure, {total_g:,.1f} g in total",
        "seizures.summary.other": "{count} seizures, {total_g:,.1f} g in total",
        "seizures.empty": "No seizure matches this filter.",
        "data.bad_json": (
            "{path} is not valid JSON ({reason}). Ask your instructor for a fresh copy."
        ),
        "data.missing": (
            "Data file not found: {path}. Open this notebook from its assignment folder, "
            "or ask your instructor to run `course build`."
        ),
        # day 1: NPS (course.nps)
        "nps.chart.empty": (
            "Nothing to draw yet: {name} is empty. Finish exercise {exercise} first, run its "
            "cell, then run this cell again."
        ),
        "nps.chart.not_numbers": (
            "Cannot draw {name}: every value must be a number (a count). Check exercise "
            "{exercise}."
        ),
        # bitcoin library (course.chain)
        "chain.mnemonic.word_count": "{count} words: a BIP39 phrase has 12, 15, 18, 21 or 24.",
        "chain.mnemonic.unknown_words": "Not in the BIP39 English word list: {words}.",
        "chain.mnemonic.checksum": (
            "Checksum mismatch: a word is wrong, missing or out of order. (A passing checksum "
            "does not prove the phrase is right: one wrong word passes 1 time in 16 with "
            "12 words, 1 in 256 with 24.)"
        ),
        # day 1: Tor (course.tor)
        "tor.onion.not_text": "An onion address must be text, got {kind}.",
        "tor.onion.not_list": "Give the addresses as a list of text, not a single string.",
        "tor.onion.bad_length": (
            "'{address}' has {length} characters before '.onion'; a v3 address has exactly 56."
        ),
        "tor.onion.bad_alphabet": (
            "'{address}' contains '{char}', which is not base32 (only a-z and 2-7 are used)."
        ),
        "tor.onion.bad_version": (
            "'{address}' has version byte {version}; v3 addresses end with version 3 ('d')."
        ),
        "tor.onion.bad_checksum": (
            "'{address}': the checksum in the address is {found} but its key gives {expected}, "
            "so the address is mistyped or forged."
        ),
        "tor.onion.valid": "'{address}' is a well-formed v3 onion address (checksum OK).",
        "tor.onion.verdict.genuine": "verified: on the signed mirror list",
        "tor.onion.verdict.typo": (
            "unverified: the checksum fails (mistyped or altered), no Tor client can reach it"
        ),
        "tor.onion.verdict.lookalike": (
            "unverified, likely phishing: a valid address not on the signed list whose first "
            "{prefix} characters copy {official}"
        ),
        "tor.onion.verdict.unlisted": (
            "unverified: a valid address that is not on the signed list (do not use it)"
        ),
        "tor.onion.bad_key_type": (
            "A public key must be 32 bytes (or their hex), got a {kind}."
        ),
        "tor.onion.bad_key_hex": "This text is not a hex-encoded key (use 0-9 and a-f only).",
        "tor.onion.bad_key_length": (
            "An ed25519 public key is 32 bytes long, got {length} bytes."
        ),
        "tor.onion.bad_key_file": (
            "{path} is not Tor's hs_ed25519_public_key file: it should be 64 bytes, starting "
            "with '== ed25519v1-public: type0 =='."
        ),
        "tor.onion.bad_secret_key_file": (
            "{path} is not Tor's hs_ed25519_secret_key file: it should be 96 bytes, starting "
            "with '== ed25519v1-secret: type0 =='."
        ),
        "tor.onion.bad_secret_key_length": (
            "A Tor ed25519 secret key is 64 bytes long (the expanded key), got {length}."
        ),
        "tor.consensus.unreadable": (
            "{path} is not a valid Tor consensus document ({reason})."
        ),
        "tor.consensus.bad_details": (
            "{path} is not an Onionoo details document (expected JSON with a 'relays' list)."
        ),
        "tor.consensus.unknown_flag": (
            "'{flag}' is not a relay flag; flags are written exactly (capitals matter): {known}."
        ),
        "tor.archive.empty": (
            "{path} holds no consensus (files named like 2025-10-06-12-00-00-consensus)."
        ),
        "tor.archive.bad_time": (
            "'{when}' is not a date and time; write it like 2025-10-06T12:30:00Z (UTC)."
        ),
        "tor.archive.bad_ip": "'{ip}' is not an IPv4 address (four numbers 0-255 with dots).",
        "tor.archive.not_archive": (
            "Give the archive table from load_archive(...), not a {kind}."
        ),
        "tor.archive.no_consensus": (
            "No consensus of the archive was valid at {when} (UTC): the answer needs the "
            "consensus of that hour (CollecTor keeps every one)."
        ),
        "tor.consensus.no_weights": (
            "The consensus has no 'bandwidth-weights' line, which path selection needs."
        ),
        "tor.consensus.bad_signatures": (
            "The consensus signatures do not check out against these certificates: {reason}"
        ),
        "tor.consensus.not_table": (
            "Expected the relay table from relays_table(...), got {kind}."
        ),
        "tor.consensus.missing_columns": (
            "The relay table lacks the column(s) {columns}; build it with relays_table(...)."
        ),
        "tor.relay.unknown": (
            "No relay '{name}' in the consensus: give its exact nickname or 40-hex fingerprint."
        ),
        "tor.relay.ambiguous": (
            "Several relays are called '{name}': give the 40-hex fingerprint instead."
        ),
        "tor.port.bad": "A port is a whole number from 1 to 65535, got {port}.",
        "tor.path.bad_position": (
            "Unknown position '{position}': use 'guard', 'middle' or 'exit'."
        ),
        "tor.path.no_candidates": (
            "No relay can be the {position}: every candidate is excluded ({why})."
        ),
        "tor.path.bad_count": "The number of paths must be a positive whole number, got {count}.",
        "tor.layers.bad_hops": (
            "A circuit here has exactly 3 relays (guard, middle, exit), got {count}."
        ),
        "tor.layers.bad_key": "An AES key is 16 or 32 bytes long, got {length} bytes.",
        "tor.layers.bad_nonce": "A counter block (nonce) is 16 bytes long, got {length} bytes.",
        "tor.layers.not_bytes": "The message must be text or bytes, got {kind}.",
        "tor.layers.too_long": (
            "The message is {length} bytes, but one cell carries at most {limit}: shorten it."
        ),
        "tor.layers.bad_cell": "A cell is exactly {size} bytes, got {length}.",
        "tor.layers.not_readable": (
            "{relay} cannot read this cell: after removing its layer it is still encrypted."
        ),
        "tor.layers.client": "client (sends)",
        "tor.layers.role.guard": "Guard (entry)",
        "tor.layers.role.middle": "Middle",
        "tor.layers.role.exit": "Exit",
        "tor.layers.learns.guard": (
            "knows your IP address and the middle relay; sees only encrypted cells"
        ),
        "tor.layers.learns.middle": (
            "knows the guard and the exit; never your IP address nor the destination"
        ),
        "tor.layers.learns.exit": (
            "knows the destination and reads the request; never your IP address"
        ),
        # day 1 widgets (course.widgets: circuit builder, relay picker, onion inspector)
        "w1.circuit.message_label": "Request",
        "w1.circuit.default_client": "203.0.113.25 (your computer)",
        "w1.circuit.default_destination": "market web server",
        "w1.circuit.need_both": (
            "Give both the relay table and the bandwidth weights of the consensus, or neither."
        ),
        "w1.circuit.step_label": "Step",
        "w1.circuit.new_button": "New circuit",
        "w1.circuit.path": (
            "Circuit: you → {guard} (guard) → {middle} (middle) → {exit} (exit) → {destination}"
        ),
        "w1.circuit.step.0": (
            "The client has wrapped the request in 3 layers and sends it to the guard."
        ),
        "w1.circuit.step.1": "The guard removed its layer: 2 layers left, still unreadable.",
        "w1.circuit.step.2": "The middle relay removed its layer: 1 layer left, still unreadable.",
        "w1.circuit.step.3": "The exit removed the last layer and reads the request.",
        "w1.circuit.holder": "holder",
        "w1.circuit.layers_left": "layers left",
        "w1.circuit.first_bytes": "first bytes of the cell (hex)",
        "w1.circuit.readable": "what the holder can read",
        "w1.circuit.unreadable": "(encrypted: random-looking bytes)",
        "w1.circuit.learns": "{relay} learns: {what}.",
        "w1.circuit.error": "Cannot build the cell: {reason}",
        "w1.picker.draws_label": "Paths to draw",
        "w1.picker.position_label": "Position",
        "w1.picker.draw_button": "Draw paths",
        "w1.picker.position.guard": "guard",
        "w1.picker.position.middle": "middle",
        "w1.picker.position.exit": "exit",
        "w1.picker.relay": "relay",
        "w1.picker.drawn": "times drawn",
        "w1.picker.observed": "observed share",
        "w1.picker.expected": "expected share",
        "w1.picker.summary": (
            "{draws} paths drawn. As {position}, the relay with the largest weight, {relay}, was "
            "drawn in {observed:.1%} of the paths (its weight share is {expected:.1%})."
        ),
        "w1.picker.none": "No path drawn yet: press the button.",
        "w1.picker.error": "Cannot draw paths: {reason}",
        "w1.onion.address_label": "Address",
        "w1.onion.placeholder": "paste a .onion address",
        "w1.onion.empty": "Type or paste an onion address to inspect it.",
        "w1.onion.part": "part",
        "w1.onion.bytes": "bytes",
        "w1.onion.hex": "value (hex)",
        "w1.onion.public_key": "public key",
        "w1.onion.checksum": "checksum (in the address)",
        "w1.onion.expected_checksum": "checksum (computed from the key)",
        "w1.onion.version": "version",
        "w1.onion.listed": "On the signed mirror list: {address} is listed.",
        "w1.onion.not_listed": (
            "NOT on the signed mirror list: {address} is unverified, do not use it."
        ),
        # day 2: market OSINT (course.market)
        "market.page.missing_field": (
            "{file}: the {kind} page has no field '{field}' (selector {selector}): "
            "the page does not match its parser."
        ),
        "market.page.missing_record_field": (
            "{file}: record {number} of the {kind} page has no field '{field}' "
            "(selector {selector}): the page does not match its parser."
        ),
        "market.page.unreadable": "{file} cannot be read as a UTF-8 text page ({reason}).",
        "market.page.no_files": "No {kind} page matching {pattern} in {folder}.",
        "market.page.not_a_number": "'{text}' holds no number.",
        "market.page.bad_value": (
            "{file}: the {kind} field '{field}' should hold a number, not '{value}'."
        ),
        "market.page.bad_parts": (
            "{file}: the {kind} field '{field}' should have {parts} parts separated by ' · ', "
            "not '{value}'."
        ),
        "market.page.unknown_market": "Unknown market '{market}': the known markets are {known}.",
        "market.price.no_quantity": "No quantity in a known unit in '{text}'.",
        "market.price.two_quantities": (
            "More than one quantity in '{text}': which one is sold is not clear."
        ),
        "market.price.pieces": "'{text}' counts pieces, not a weight: no price per gram.",
        "market.price.rates_columns": "The rates table lacks the column(s) {columns}.",
        "market.price.rates_undated": (
            "The rates table has no date column: give the date it is valid on (valid_on=...)."
        ),
        "market.price.no_rate": "No {currency} rate on or before {day}.",
        "market.ind.not_text": "Indicators are searched in text, not in {kind}.",
        "market.ind.bad_key": "a PGP key block that cannot be read ({reason})",
        "market.ind.from_key": "fingerprint of the PGP public key block",
        "market.ind.from_uid": "e-mail address in the PGP key's user id",
        "market.link.pgp_key": (
            "{a} ({file_a}) and {b} ({file_b}) publish the same PGP key, "
            "fingerprint {value}."
        ),
        "market.link.handle": (
            "{a} ({file_a}) and {b} ({file_b}) give the same contact {value}."
        ),
        "market.link.btc_address": (
            "{a} ({file_a}) and {b} ({file_b}) give the same bitcoin address {value}."
        ),
        "market.link.alias": (
            "The aliases {a} and {b} look alike ({value} after transliteration to Latin "
            "letters): a lead to check, not proof."
        ),
        "market.photo.unreadable": "{file} is not a readable image ({reason}).",
        "market.photo.no_files": "No photo (*.jpg) in {folder}.",
        "market.capture.ok": "{file}: same SHA-256 as in the capture log.",
        "market.capture.mismatch": (
            "{file}: its SHA-256 {actual} differs from the capture log's {expected}: "
            "the file was changed after capture."
        ),
        "market.capture.url_mismatch": (
            "{file}: the page says it was saved from {saved_from}, the capture log says {url}."
        ),
        "market.capture.missing": "{file}: listed in the capture log but not found.",
        "market.capture.unlogged": "{file}: a saved page that is not in the capture log.",
        "market.capture.bad_log": "The capture log {file} lacks the column(s) {columns}.",
        # day 3: Tron addresses (course.chain.tron)
        "chain.tron.valid": (
            "A valid Tron address: alphabet, length, checksum and version 0x41 are right."
        ),
        "chain.tron.alphabet": (
            "Not Base58: {chars} never occur in a Tron address (0, O, I and l are left out)."
        ),
        "chain.tron.length": (
            "Wrong length: {length} characters, a Tron address has {expected} (a character "
            "is missing or extra)."
        ),
        "chain.tron.checksum": (
            "Checksum mismatch (written {found}, computed {expected}): the address was "
            "mistyped or altered."
        ),
        "chain.tron.version": (
            "Version byte {version}, not 0x41: this is not a Tron address (perhaps another "
            "coin's)."
        ),
        "chain.tron.hex_not_hex": (
            "'{text}' is not hexadecimal: a hex Tron address is 41 + 40 hex digits."
        ),
        "chain.tron.hex_length": (
            "'{text}' is {length} bytes; a Tron address is 21 bytes (41 + 40 hex digits)."
        ),
        "chain.tron.bad_pubkey": (
            "Not a secp256k1 public key (33 or 65 bytes, a point on the curve)."
        ),
        # day 2 widgets: market browser, link chart, dead-drop map (w2.*)
        "w2.market.not_table": "The listings must be a pandas table (DataFrame), not {kind}.",
        "w2.market.missing_columns": (
            "The listings table lacks the column(s) {columns}: build it with price_per_gram "
            "(with the rates) from the tables of read_markets."
        ),
        "w2.market.no_folder": (
            "{folder} is not a folder of saved pages: give the day's data/pages."
        ),
        "w2.market.no_page": "The saved page {file} is not in {folder}.",
        "w2.market.unknown_page": "{file} is not a kind of saved page that holds listings.",
        "w2.market.all": "(all)",
        "w2.market.place_label": "City / ships from",
        "w2.market.group_label": "NPS group",
        "w2.market.seller_label": "Shop / vendor",
        "w2.market.max_label": "At most (USD per gram)",
        "w2.market.empty": "No listing matches these filters.",
        "w2.market.summary.one": (
            "{count} listing of {total}, from {low:,.2f} to {high:,.2f} USD per gram"
        ),
        "w2.market.summary.other": (
            "{count} listings of {total}, from {low:,.2f} to {high:,.2f} USD per gram"
        ),
        "w2.market.row": "{title} · {seller} · {place} · {price:,.2f} USD/g",
        "w2.market.choose": "Choose a listing to open it from its saved page.",
        "w2.market.from_page": (
            "As written on the saved page {file} (text only: nothing of the page is run):"
        ),
        "w2.market.not_on_page": (
            "Listing {id} is not on the saved page {file}: the page and the table do not match."
        ),
        "w2.link.not_profiles": (
            "The profiles must come from course.market.linking.profiles(), not be {kind}."
        ),
        "w2.link.not_links": (
            "The links must be findings of course.market.linking.link_aliases(), not {kind}."
        ),
        "w2.link.none": "(no link chosen)",
        "w2.link.link_label": "Link",
        "w2.link.unknown_link": "That finding is not one of the chart's links.",
        "w2.link.heading": "{a} ↔ {b}: confidence {level} ({confidence:.2f})",
        "w2.link.sources": "Sources: {files}",
        "w2.link.option": "{a} ↔ {b} ({level}, {confidence:.2f})",
        "w2.link.level.strong": "strong",
        "w2.link.level.moderate": "moderate",
        "w2.link.level.lead": "low: a lead to check",
        "w2.link.market_ru": "Shop market (market_ru)",
        "w2.link.market_en": "Escrow market (market_en)",
        "w2.link.indicators": "Keys, contacts, addresses",
        "w2.link.summary.one": (
            "{count} link between {aliases} aliases (strong: {strong}, moderate: {moderate}, "
            "leads: {lead})"
        ),
        "w2.link.summary.other": (
            "{count} links between {aliases} aliases (strong: {strong}, moderate: {moderate}, "
            "leads: {lead})"
        ),
        "w2.link.choose": "Choose a link to see its evidence and confidence.",
        "w2.drop.not_table": "The table {what} must be a pandas table (DataFrame), not {kind}.",
        "w2.drop.missing_columns": "The table {what} lacks the column(s) {columns}.",
        "w2.drop.no_cities": "The cities table is empty: give the day's cities.csv.",
        "w2.drop.whole_region": "(whole region)",
        "w2.drop.city_label": "City",
        "w2.drop.serial_label": "Camera serial",
        "w2.drop.all_serials": "(all serials)",
        "w2.drop.no_serial": "(no serial)",
        "w2.drop.km": "{km:g} km",
        "w2.drop.place": "{km:.1f} km {direction} of the centre of {city}",
        "w2.drop.dir.N": "N",
        "w2.drop.dir.NE": "NE",
        "w2.drop.dir.E": "E",
        "w2.drop.dir.SE": "SE",
        "w2.drop.dir.S": "S",
        "w2.drop.dir.SW": "SW",
        "w2.drop.dir.W": "W",
        "w2.drop.dir.NW": "NW",
        "w2.drop.summary.one": (
            "{count} photo of {total} on the map (camera serials: {serials}); "
            "with no position: {missing}"
        ),
        "w2.drop.summary.other": (
            "{count} photos of {total} on the map (camera serials: {serials}); "
            "with no position: {missing}"
        ),
        "w2.drop.col.file": "Photo",
        "w2.drop.col.serial": "Camera serial",
        "w2.drop.col.camera": "Camera",
        "w2.drop.col.taken": "Taken (camera clock)",
        "w2.drop.col.position": "GPS position",
        "w2.drop.col.place": "Where",
        "w2.drop.no_position.one": "{count} photo with no GPS position (not on the map):",
        "w2.drop.no_position.other": "{count} photos with no GPS position (not on the map):",
        "w2.drop.no_exif": "no EXIF at all (stripped)",
        "w2.drop.no_gps": "EXIF without a GPS position",
        "w2.drop.outlines": "Country outlines: {source}",
        # day 4 tracing toolkit (tracing.*)
        "tracing.unknown_tx": (
            "The transaction {txid} is not in this ledger: check the txid (64 hex characters)."
        ),
        "tracing.unknown_address": (
            "No transaction of this ledger uses the address {address}: check it for typos."
        ),
        "tracing.unknown_output": (
            "The output {outpoint} is not in this ledger: write it as txid:vout."
        ),
        "tracing.missing_columns": "The table {table} lacks the column(s) {columns}.",
        "tracing.missing_table": "{path} is missing: check the folder and the file name.",
        "tracing.duplicate_tx": (
            "The transactions table lists a txid more than once: use the table as exported."
        ),
        "tracing.orphan_rows": (
            "Some inputs or outputs belong to transactions missing from the transactions table: the"
            " tables do not match."
        ),
        "tracing.bad_explorer": (
            "An explorer document is not in the Esplora /api/tx shape (missing or wrong: {reason})."
        ),
        "tracing.no_explorer": "No explorer document (*.json) in {folder}.",
        "tracing.unknown_heuristic": (
            "Unknown change heuristic '{name}': the known ones are {known}."
        ),
        "tracing.negative_count": "{n} is not a valid number of inputs or outputs.",
        "tracing.bad_direction": "The direction is 'forward' or 'backward', not '{direction}'.",
        "tracing.bad_limits": (
            "Hop and value limits cannot be negative (max_hops={max_hops}, min_value={min_value})."
        ),
        "tracing.bad_truth": "The ground truth {path} cannot be read ({reason}).",
        "tracing.taint.lengths": (
            "Input values: {inputs}, tainted amounts: {taint}; give one tainted amount per input."
        ),
        "tracing.taint.range": (
            "A tainted amount ({taint}) must lie between 0 and the input's value ({value})."
        ),
        "tracing.taint.unknown_rule": "Unknown taint rule '{rule}': the known ones are {known}.",
        "tracing.tag.bad_confidence": (
            "{where}: the confidence '{value}' is neither a number from 0 to 100 nor one of "
            "{known}."
        ),
        "tracing.tag.bad_tagpack": "{file} is not a readable TagPack ({reason}).",
        "tracing.tag.missing_fields": (
            "{file}: tag {number} has no {fields} (neither in the tag nor in the header)."
        ),
        "tracing.tag.tagged": (
            "{address} itself is tagged {label} (source: {source}, confidence {confidence})."
        ),
        "tracing.tag.co_spent": (
            "{address} was spent in transaction {txid} together with {other}, tagged {label} "
            "(source: {source}, confidence {confidence}): one wallet signed both."
        ),
        "tracing.tag.swept_to": (
            "Transaction {txid} moved the coins of {address} to {other}, tagged {label} (source: "
            "{source}, confidence {confidence})."
        ),
        # the sources named in the course's own tag list (tags.csv), in words of the language
        "tracing.source.proof_of_reserves": "exchange proof-of-reserves list",
        "tracing.source.test_deposit": "test deposit by investigators",
        "tracing.source.seized_server": "seized server of an earlier case",
        "tracing.source.order_page": "order page capture",
        "tracing.source.coordinator_docs": "coordinator fee address (public docs)",
        "tracing.source.exchanger_page": "exchanger website (payment page)",
        "tracing.source.coinbase_tag": "coinbase tag",
        "tracing.source.payment_page": "public donation/payment page",
        "tracing.source.forum_post": "forum post (unverified)",
        "tracing.change.reused_address": (
            "Output {vout} ({value} sat) goes back to {address}, one of the transaction's own input"
            " addresses (address reuse)."
        ),
        "tracing.change.fresh_address": (
            "Output {vout} ({value} sat) goes to {address}, never seen before, while the other "
            "outputs go to addresses seen before."
        ),
        "tracing.change.same_script_type": (
            "Output {vout} ({value} sat) to {address} is the only one of the inputs' type "
            "{script_type}."
        ),
        "tracing.change.round_amount": (
            "Output {vout} ({value} sat) to {address} is the only amount that is not a multiple of "
            "{unit} sat: round amounts look like payments."
        ),
        "tracing.change.optimal_change": (
            "Output {vout} ({value} sat) to {address} is the only one smaller than the smallest "
            "input ({smallest} sat)."
        ),
        "tracing.change.peel_continuation": (
            "Output {vout} ({value} sat) to {address} is spent next by another peel step (1 input, "
            "2 outputs)."
        ),
        "tracing.coinjoin.whirlpool": (
            "{inputs} inputs and {outputs} outputs, all of {value} sat, a Whirlpool pool amount: a "
            "5x5 Whirlpool mix ({interpretations} interpretations)."
        ),
        "tracing.coinjoin.wasabi": (
            "{inputs} inputs; {equal} of the {outputs} outputs are of {value} sat each: a large "
            "round like Wasabi's ({interpretations} interpretations)."
        ),
        "tracing.coinjoin.joinmarket": (
            "{inputs} inputs, {equal} equal outputs of {value} sat and at most one change output "
            "each ({outputs} outputs): the JoinMarket pattern ({interpretations} interpretations)."
        ),
        "tracing.coinjoin.generic": (
            "{inputs} inputs; {equal} of the {outputs} outputs have one identical value ({value} "
            "sat): an equal-output mix ({interpretations} interpretations)."
        ),
        "tracing.peel.summary": (
            "Transactions in the chain: {steps}; peels: {peels} ({peeled} sat peeled off); end: "
            "{end}; the rest, {value} sat, went to {address}."
        ),
        "tracing.peel.end.sweep": "everything left was sent to one address",
        "tracing.peel.end.unspent": "the rest is unspent",
        "tracing.peel.end.merged": "the rest was spent together with other coins",
        "tracing.peel.end.coinjoin": "the rest went into a CoinJoin",
        "tracing.peel.end.service": "the rest reached a known service",
        "tracing.peel.end.max_hops": "the hop limit was reached",
        # day 3: transactions, explorer JSON, wallet scan, address inspection (course.chain)
        "chain.tx.not_hex": (
            "The raw transaction is not hexadecimal text (digits 0-9 and letters a-f)."
        ),
        "chain.tx.ends_early": (
            "The transaction ends early: {wanted} more bytes were expected at byte {offset} "
            "(part of it is missing)."
        ),
        "chain.tx.left_over": (
            "{count} bytes are left over after the transaction (extra text, or two "
            "transactions)."
        ),
        "chain.anatomy.version": "version",
        "chain.anatomy.marker": "segwit marker and flag",
        "chain.anatomy.marker_note": (
            "00 01: witness data follows the outputs (not hashed into the txid)"
        ),
        "chain.anatomy.input_count": "number of inputs",
        "chain.anatomy.prev_txid": "input {i}: previous txid",
        "chain.anatomy.prev_vout": "input {i}: previous output index",
        "chain.anatomy.script_sig_length": "input {i}: scriptSig length",
        "chain.anatomy.script_sig": "input {i}: scriptSig",
        "chain.anatomy.sequence": "input {i}: sequence",
        "chain.anatomy.output_count": "number of outputs",
        "chain.anatomy.value": "output {i}: value",
        "chain.anatomy.script_pubkey_length": "output {i}: scriptPubKey length",
        "chain.anatomy.script_pubkey": "output {i}: scriptPubKey",
        "chain.anatomy.witness_count": "witness of input {i}: number of items",
        "chain.anatomy.witness_item_length": "witness of input {i}, item {j}: length",
        "chain.anatomy.witness_item": "witness of input {i}, item {j}",
        "chain.anatomy.locktime": "locktime",
        "chain.explorer.bad_field": (
            "The explorer JSON has a field {field} that is not hexadecimal."
        ),
        "chain.explorer.missing": (
            "The explorer JSON lacks the field {field}: it is not a /tx/:txid answer."
        ),
        "chain.explorer.txid_mismatch": (
            "The explorer says txid {claimed}, but its bytes hash to {computed}: the JSON was "
            "altered or is incomplete."
        ),
        "chain.explorer.no_files": "No explorer JSON file (*.json) at {path}.",
        "chain.explorer.unreadable": "{path} cannot be read as JSON ({reason}).",
        "chain.explorer.not_tx": (
            "This is not an explorer transaction: each one needs at least txid, vin and vout."
        ),
        "chain.scan.gap_limit": (
            "The gap limit must be a whole number from 1 to {top}, not {value}."
        ),
        "chain.wallet.bad_path": (
            "'{path}' is not a BIP32 path: write it as m/44H/0H/0H/0/5 (H or ' for hardened)."
        ),
        "chain.inspect.empty": "Type or paste an address to inspect it.",
        "chain.inspect.unknown_format": (
            "Not an address format known here (bitcoin, Tron, Ethereum-style)."
        ),
        "chain.inspect.case": (
            "Mixed upper and lower case: a bech32 address is written all in one case."
        ),
        "chain.inspect.alphabet_bech32": (
            "{chars}: not in the bech32 alphabet (1, b, i and o never occur after the "
            "prefix)."
        ),
        "chain.inspect.alphabet_base58": (
            "{chars}: not in the Base58 alphabet (0, O, I and l never occur)."
        ),
        "chain.inspect.length_bech32": (
            "Wrong length: too short or too long for a bech32 address (a character is missing "
            "or extra)."
        ),
        "chain.inspect.length_base58": (
            "Wrong length: {length} characters decode to {count} bytes, a Base58Check address "
            "has 25 (a character is missing or extra)."
        ),
        "chain.inspect.length_program": (
            "Wrong length: a witness program of {count} bytes, version {version} needs "
            "{expected}."
        ),
        "chain.inspect.checksum": "Checksum mismatch: the address was mistyped or altered.",
        "chain.inspect.length_eth": (
            "Wrong length: {count} characters after 0x, an Ethereum-style address has 40 hex "
            "digits."
        ),
        "chain.inspect.checksum_at": (
            "Checksum mismatch. Character {position} ('{found}') is the likely typo: with "
            "'{suggestion}' there the checksum is right. A lead to check against the source, "
            "not a correction."
        ),
        "chain.inspect.variant": (
            "Wrong checksum variant: witness version {version} uses {expected}, this address "
            "uses {found}."
        ),
        "chain.inspect.witness_version": "Witness version {version} does not exist (0 to 16).",
        "chain.inspect.version_base58": (
            "Version byte {version}: neither a bitcoin nor a Tron address (perhaps another "
            "coin's)."
        ),
        "chain.inspect.prefix": (
            "Prefix '{hrp}': not a bitcoin network (bc mainnet, tb testnet, bcrt regtest); "
            "perhaps another coin's."
        ),
        "chain.inspect.valid_bitcoin": (
            "Valid bitcoin address: {type} on {network}, {encoding}, checksum correct."
        ),
        "chain.inspect.valid_tron": (
            "Valid Tron address (TRX and TRC-20 tokens such as USDT): version 0x41, checksum "
            "correct."
        ),
        "chain.inspect.valid_eth": (
            "Ethereum-style address with a correct EIP-55 checksum (the same form on BNB "
            "Chain, Polygon ...)."
        ),
        "chain.inspect.eth_no_checksum": (
            "Ethereum-style address written in one case: it carries no checksum (EIP-55), so "
            "a typo cannot be detected."
        ),
        "chain.inspect.eth_checksum": (
            "EIP-55 checksum mismatch: the capital letters do not fit the address (mistyped "
            "or altered)."
        ),
        # day 3 widgets (course.widgets: tx anatomy, wallet explorer, address inspector)
        "w3.tx.label": "Raw tx",
        "w3.tx.placeholder": "paste a raw transaction in hex (01000000... or 02000000...)",
        "w3.tx.not_text": "TxAnatomy takes the transaction as hex text, not {kind}.",
        "w3.tx.empty": "Paste a raw transaction (hex) to take it apart.",
        "w3.tx.error": "Cannot read this transaction: {reason}",
        "w3.tx.summary": "txid {txid} - {size} bytes, weight {weight}, {vsize} vB",
        "w3.tx.wtxid": "wtxid (hash of all the bytes, witness included): {wtxid}",
        "w3.tx.kind.segwit": (
            "Segwit transaction: the txid hashes every field but the grey ones (marker, flag "
            "and witness)."
        ),
        "w3.tx.kind.legacy": "Legacy transaction: the txid hashes every byte.",
        "w3.tx.offset": "offset",
        "w3.tx.bytes": "bytes",
        "w3.tx.field": "field",
        "w3.tx.hex": "bytes (hex)",
        "w3.tx.meaning": "meaning",
        "w3.wallet.phrase": "Seed phrase",
        "w3.wallet.phrase_placeholder": "12 or 24 words (a seized phrase goes into no online tool)",
        "w3.wallet.passphrase": "Passphrase",
        "w3.wallet.passphrase_placeholder": "optional BIP39 passphrase ('25th word')",
        "w3.wallet.gap_limit": "Gap limit",
        "w3.wallet.scan": "Scan",
        "w3.wallet.empty": "Type a seed phrase and press Scan.",
        "w3.wallet.bad_phrase": "Cannot scan: {reason}",
        "w3.wallet.bad_ledger": (
            "The ledger must be a folder of explorer JSON, a list of explorer transactions or "
            "a dict address -> satoshis, not {kind}."
        ),
        "w3.wallet.total": (
            "Total: {sats} sat = {btc} BTC on {count} used addresses (gap limit {gap})."
        ),
        "w3.wallet.passphrase_note": (
            "No address of this wallet is in the ledger. A passphrase opens a different "
            "wallet: check whether one was used."
        ),
        "w3.wallet.standard": "{standard} {path}: {count} used addresses, {sats} sat",
        "w3.wallet.chain.0": "receiving",
        "w3.wallet.chain.1": "change",
        "w3.wallet.stopped": (
            "{chain} chain: stopped at index {index} after {gap} unused addresses in a row."
        ),
        "w3.wallet.path": "path",
        "w3.wallet.address": "address",
        "w3.wallet.balance": "balance (sat)",
        "w3.address.label": "Address",
        "w3.address.placeholder": "paste a bitcoin, Tron or Ethereum address",
        "w3.address.unknown": "-",
        "w3.address.coin": "coin",
        "w3.address.type": "type",
        "w3.address.network": "network",
        "w3.address.encoding": "encoding",
        "w3.address.checksum": "checksum",
        "w3.address.checksum_ok": "correct",
        "w3.address.checksum_bad": "wrong",
        "w3.address.wrong_part": "wrong part",
        "w3.address.payload": "payload (hex)",
        "w3.address.part.format": "format",
        "w3.address.part.alphabet": "alphabet (a character that never occurs)",
        "w3.address.part.case": "case (upper and lower mixed)",
        "w3.address.part.length": "length",
        "w3.address.part.checksum": "checksum",
        "w3.address.part.version": "version",
        "w3.address.part.variant": "checksum variant (bech32 / bech32m)",
        "w3.address.part.prefix": "prefix (network)",
        # day 5: building the case (course.case)
        "case.hash.bad_line": (
            "{file}, line {line}: not a sha256sum line (64 hex digits, two spaces, the file's "
            "path). Check the hash list."
        ),
        "case.hash.bad_status": "Unknown status '{status}': use one of {known}.",
        "case.hash.no_folder": "No evidence folder at {folder}: check the path.",
        "case.custody.unreadable": (
            "{file}, line {line}: not a custody entry (one JSON object a line). "
            "Do not edit the log by hand."
        ),
        "case.custody.empty_field": "A custody entry needs '{field}': say it in words.",
        "case.custody.naive_time": (
            "The time {when} has no time zone: write it with its offset, e.g. "
            "2025-11-21T10:00:00+05:00."
        ),
        "case.custody.bad_hash": "'{value}' is not a SHA-256 hash (64 hex digits).",
        "case.custody.broken_unreadable": (
            "The custody log breaks at line {line}: the entry cannot be read."
        ),
        "case.custody.broken_edited": (
            "The custody log breaks at line {line} (entry {seq}): the entry was edited after "
            "it was written (its hash no longer fits its content)."
        ),
        "case.custody.broken_chain": (
            "The custody log breaks at line {line} (entry {seq}): it does not follow the entry "
            "before it, so an entry before it was removed, or entries were reordered or edited."
        ),
        "case.custody.broken_head": (
            "The custody log's {entries} entries hold together, but its last hash is not the "
            "one written down: entries were cut off at the end."
        ),
        "case.custody.intact": (
            "The custody log is intact: {entries} entries, each chained to the one before."
        ),
        "case.timeline.bad_zone": (
            "'{tz}' is not a time zone: write an offset from UTC such as +05:00, or UTC."
        ),
        "case.timeline.bad_time": (
            "'{value}' is not a date and time: write it as 2025-09-02T16:05:00Z."
        ),
        "case.timeline.no_zone": (
            "The time '{value}' has no time zone: give the source's zone "
            "(tz=\"+05:00\" or tz=\"UTC\")."
        ),
        "case.timeline.bad_columns": (
            "{file} has no column {columns}: check that it is the right file."
        ),
        "case.timeline.no_unixtime": (
            "{file}, {position}: the message has no date_unixtime, so its exact time is unknown."
        ),
        "case.timeline.axis": "time (UTC)",
        "case.request.bad_response": (
            "No readable exchange response in {folder} ({reason}): it needs response.json with "
            "an 'account'."
        ),
        "case.request.bad_kind": "Unknown request '{kind}': use one of {known}.",
        "case.request.bad_lang": "No request texts in '{language}': use one of {known}.",
        "case.request.missing": "The request needs '{field}': fill it in.",
        "case.request.preservation.subject": (
            "Request to preserve data: account {account_id} (criminal case {case_number})"
        ),
        "case.request.preservation.body": (
            "To: {exchange}, law enforcement liaison\n"
            "From: {requester}\n"
            "Date: {date}\n"
            "\n"
            "In criminal case {case_number} we investigate the sale of narcotic drugs and new "
            "psychoactive substances paid for in bitcoin. We ask you to PRESERVE, without "
            "disclosing anything to us yet and without informing the customer, all data you "
            "hold on the account below for 90 days, while a formal request for disclosure is "
            "prepared.\n"
            "\n"
            "Account: {account_id} (holder: {holder}, born {date_of_birth})\n"
            "Bitcoin deposit addresses:\n"
            "{addresses}\n"
            "Period: from {start} to {end} and up to the date of this request.\n"
            "\n"
            "Data to preserve: identification (KYC) records and documents; deposits and "
            "withdrawals with transaction identifiers; bank cards and accounts used; login "
            "records with IP addresses, times and devices; linked accounts; correspondence "
            "with the customer.\n"
            "\n"
            "Please confirm the preservation and its reference. Do not close or freeze the "
            "account on the strength of this request alone."
        ),
        "case.request.disclosure.subject": (
            "Request for information: account {account_id} (criminal case {case_number})"
        ),
        "case.request.disclosure.body": (
            "To: {exchange}, law enforcement liaison\n"
            "From: {requester}\n"
            "Date: {date}\n"
            "Earlier request: {reference}\n"
            "\n"
            "In criminal case {case_number} (sale of narcotic drugs and new psychoactive "
            "substances paid for in bitcoin) we ask you to provide the following records of "
            "account {account_id} (holder: {holder}, born {date_of_birth}) for the period from "
            "{start} to {end}:\n"
            "1. identification (KYC) data and copies of the documents submitted;\n"
            "2. every deposit to these addresses, with transaction identifiers and times "
            "(UTC):\n"
            "{addresses}\n"
            "3. every withdrawal, with the full card or bank account number and the issuing "
            "bank, for the cards:\n"
            "{cards}\n"
            "4. every login with IP address, time (UTC), device and user agent;\n"
            "5. other accounts linked by document, phone, e-mail, device or IP address.\n"
            "\n"
            "Transactions known to us:\n"
            "{txids}\n"
            "\n"
            "Please send the records in machine-readable form (CSV or JSON) with a statement "
            "of how they were extracted, and do not inform the customer."
        ),
        "case.request.mla.subject": (
            "Request for mutual legal assistance in criminal case {case_number}"
        ),
        "case.request.mla.body": (
            "Requesting authority: {requester}\n"
            "Date: {date}\n"
            "Addressed to: the central authority for mutual legal assistance of the State "
            "where {exchange} is established\n"
            "\n"
            "1. Legal basis: the United Nations Convention against Illicit Traffic in Narcotic "
            "Drugs and Psychotropic Substances of 1988 (article 7), and any treaty on legal "
            "assistance in force between our States.\n"
            "2. Offence: {offence}.\n"
            "3. Summary of facts: a vendor sold narcotic drugs and new psychoactive substances "
            "on darknet markets for bitcoin. Payments were traced on the blockchain to deposit "
            "addresses of {exchange}, account {account_id}, registered in the name of {holder} "
            "(born {date_of_birth}). The deposits were sold for tenge and withdrawn to bank "
            "cards.\n"
            "4. Assistance requested: obtain from {exchange} and hand over, certified as "
            "complete and authentic, the account's identification records, deposit and "
            "withdrawal history, login records with IP addresses, and linked accounts, for the "
            "period from {start} to {end}; deposit addresses:\n"
            "{addresses}\n"
            "transactions:\n"
            "{txids}\n"
            "5. Preservation: a request to preserve these data has been sent to {exchange} "
            "directly.\n"
            "6. Confidentiality: please do not inform the account holder; the investigation is "
            "ongoing.\n"
            "7. Use: the records will be used as evidence in criminal case {case_number} only."
        ),
        "case.channel.preserve.need": "Keep data at a foreign service now, before it is deleted",
        "case.channel.preserve.gives": (
            "Nothing handed over yet: the data are kept until a formal request. Send directly "
            "to the service at once; between parties to the Budapest Convention also through "
            "the 24/7 network."
        ),
        "case.channel.intel_region.need": (
            "Share or check intelligence on a drug network with Central Asian states"
        ),
        "case.channel.intel_region.gives": (
            "Police intelligence and coordination (controlled deliveries, joint operations) "
            "among CARICC's member states; not evidence for court by itself."
        ),
        "case.channel.locate.need": (
            "Find or identify a person abroad, or circulate a wanted person"
        ),
        "case.channel.locate.gives": (
            "Police-to-police information through the National Central Bureaus; notices (Red: "
            "arrest with a view to extradition; Blue: identity and whereabouts). Intelligence, "
            "not evidence."
        ),
        "case.channel.eu.need": (
            "Work with police of European Union states (servers, exchanges, suspects there)"
        ),
        "case.channel.eu.gives": (
            "Europol supports EU states' investigations; a state outside the EU works with it "
            "only through an agreement with Europol, otherwise through INTERPOL or an EU "
            "state's liaison."
        ),
        "case.channel.money_intel.need": "Financial intelligence on accounts and transfers abroad",
        "case.channel.money_intel.gives": (
            "Your financial intelligence unit asks the foreign one (Egmont Group): fast, but "
            "for intelligence only; its use as evidence needs the sender's consent or an MLA "
            "request."
        ),
        "case.channel.records_evidence.need": (
            "Records held abroad (KYC, deposits, logins) as evidence for court"
        ),
        "case.channel.records_evidence.gives": (
            "Certified records usable in court, through the central authorities (in Kazakhstan "
            "the Prosecutor General's Office); slow (months), so preserve first."
        ),
        "case.channel.freeze.need": "Freeze or confiscate funds held abroad",
        "case.channel.freeze.gives": (
            "A foreign court's or authority's order on your request; ask the service to hold "
            "the funds in the meantime, but only an order binds it."
        ),
        "case.channel.voluntary.need": "Basic records a service gives police on a direct request",
        "case.channel.voluntary.gives": (
            "Many exchanges answer police directly under their law enforcement guidelines: "
            "fast, voluntary, usually intelligence; confirm through MLA for court."
        ),
        "case.channel.direct": "direct request to the service",
        "case.channel.mla": "MLA (mutual legal assistance)",
        "case.channel.fiu": "FIU to FIU (Egmont Group)",
        "case.report.bad_figure": (
            "{path} is not a figure file ({kinds}) that exists: save the figure first."
        ),
        "case.report.no_input": (
            "Input file {path} does not exist: the appendix can only hash files that are there."
        ),
        "case.report.missing": "The report needs '{field}': fill it in.",
        "case.report.no_findings": "The report has no findings: add at least one Finding.",
        "case.report.typeset_failed": (
            "The PDF could not be typeset ({reason}); the HTML report is still written."
        ),
        "case.report.case": "Case",
        "case.report.author": "Prepared by",
        "case.report.summary": "Summary",
        "case.report.findings": "Findings",
        "case.report.confidence": "Confidence",
        "case.report.evidence": "Evidence",
        "case.report.sources": "Where it was read",
        "case.report.figures": "Figures",
        "case.report.method": "Method",
        "case.report.appendix": "Appendix: reproducing the analysis",
        "case.report.inputs": "Input files and their SHA-256",
        "case.report.software": "Case and software",
        "case.report.seed": "Seed of the case data",
        "case.report.course_version": "Course version",
        "case.report.level.strong": "strong",
        "case.report.level.moderate": "moderate",
        "case.report.level.lead": "lead (needs confirmation)",
        "case.figures.empty_graph": (
            "The graph has no nodes: build it from the transactions first (flow_graph)."
        ),
        "case.figures.no_points": "No dead drops to draw: give a table with columns lat and lon.",
        "case.figures.lon": "longitude (°E)",
        "case.figures.lat": "latitude (°N)",
        # day 4 widget: graph explorer (w4.graph.*)
        "w4.graph.not_ledger": (
            "GraphExplorer needs a ledger (course.tracing.ledger.read_csv of the data folder), "
            "not {kind}."
        ),
        "w4.graph.bad_tags": (
            "The tags must be the tags table (address, label, source, category, confidence) or "
            "a list of tags, not {kind}."
        ),
        "w4.graph.bad_limits": (
            "The hop limit runs from 1 to {top}, the minimum value cannot be negative and at "
            "least 2 nodes must be drawn (max_hops={max_hops}, min_value={min_value}, "
            "max_nodes={max_nodes})."
        ),
        "w4.graph.not_address": "The start address must be text, not {kind}.",
        "w4.graph.unknown_node": (
            "{node} is not drawn now: expand one of the nodes in the list."
        ),
        "w4.graph.unknown_edge": (
            "There is no edge {source} -> {target} in the picture: choose one from the list."
        ),
        "w4.graph.start_label": "Start address",
        "w4.graph.start_placeholder": "an address of the ledger, e.g. bc1q...",
        "w4.graph.node_label": "Node",
        "w4.graph.expand": "Expand",
        "w4.graph.min_value_label": "Minimum value",
        "w4.graph.hops_label": "Hop limit",
        "w4.graph.edge_label": "Edge",
        "w4.graph.no_edge": "(choose an edge)",
        "w4.graph.no_start": "Type an address to start from and press Enter.",
        "w4.graph.summary": (
            "Drawn: {nodes} nodes and {edges} edges, up to {hops} hops from {start}, "
            "edges of at least {min_value}."
        ),
        "w4.graph.capped": (
            "{hidden} more nodes are left out (only the {shown} nearest the start are drawn): "
            "raise the minimum value or lower the hop limit."
        ),
        "w4.graph.legend": (
            "Circles are addresses, filled with the colour of their common-input cluster (grey: "
            "alone in its cluster); a thick dark ring marks a tagged service, with its label. "
            "Squares are transactions. Arrows show where the money goes."
        ),
        "w4.graph.start_column": "start",
        "w4.graph.hop_column": "hop {hop}",
        "w4.graph.address_title": "{address}: its cluster has {size} address(es).",
        "w4.graph.tag_title": (
            "Tagged {label} ({category}; source: {source}; confidence {confidence})."
        ),
        "w4.graph.choose_edge": (
            "Choose an edge from a transaction to an address to see the change heuristics' "
            "findings on that output."
        ),
        "w4.graph.input_edge": (
            "This edge is an input (the address spends into the transaction): the change "
            "heuristics judge outputs. Choose an edge from a transaction to an address."
        ),
        "w4.graph.no_findings": "No change heuristic takes this output for change.",
        "w4.graph.finding": (
            "{heuristic}: output {outpoint} is change, confidence {confidence} ({level})"
        ),
        "w4.graph.heuristic.reused_address": "Address reuse",
        "w4.graph.heuristic.fresh_address": "Fresh address",
        "w4.graph.heuristic.same_script_type": "Same script type as the inputs",
        "w4.graph.heuristic.round_amount": "Round amount",
        "w4.graph.heuristic.optimal_change": "Optimal change",
        "w4.graph.heuristic.peel_continuation": "Peel chain continues",
        "w4.graph.heuristic.combined": "All heuristics that speak agree",
        "w4.graph.level.strong": "strong",
        "w4.graph.level.moderate": "moderate",
        "w4.graph.level.lead": "lead",
        # day 5: the timeline's events and the report's table headers
        "case.timeline.what.deposit": "{btc} BTC, tx {txid}...",
        "case.timeline.what.withdrawal": "{kzt} KZT to card {card}",
        "case.timeline.what.login": "login from {ip} ({country})",
        "case.column.file": "file",
        "case.column.expected": "expected",
        "case.column.actual": "actual",
        "case.column.status": "status",
        "case.column.sha256": "sha256",
        "case.column.bytes": "bytes",
        "case.column.seq": "seq",
        "case.column.time_utc": "time (UTC)",
        "case.column.who": "who",
        "case.column.what": "what",
        "case.column.why": "why",
        "case.column.hash": "hash",
        "case.column.local_time": "local time",
        "case.column.kind": "kind",
        "case.column.actor": "actor",
        "case.column.source": "source",
        "case.column.position": "position",
        # day 5: finding and event kinds in words, the case fingerprint
        "case.kind.link": "link between aliases",
        "case.kind.link.alias": "alias link",
        "case.kind.peel_chain": "peel chain",
        "case.kind.change": "change output",
        "case.kind.cluster": "address cluster",
        "case.kind.cashout.exchange": "cash-out at an exchange",
        "case.kind.cashout.card": "cash-out to a bank card",
        "case.kind.identity.kyc": "identity (the exchange's KYC)",
        "case.kind.identity.phone": "identity (phone number)",
        "case.kind.location.ip": "location (login IP address)",
        "case.kind.wallet.seed_phrase": "wallet (seed phrase)",
        "case.kind.dead_drops": "dead drops",
        "case.kind.markets.bookmarks": "markets in the bookmarks",
        "case.timeline.kind.exchange.registered": "exchange: account opened",
        "case.timeline.kind.exchange.deposit": "exchange: deposit",
        "case.timeline.kind.exchange.withdrawal": "exchange: withdrawal",
        "case.timeline.kind.exchange.login": "exchange: login",
        "case.timeline.kind.messenger.message": "messenger: message",
        "case.timeline.kind.phone.note": "phone: note",
        "case.timeline.kind.browser.bookmark": "browser: bookmark",
        "case.timeline.kind.photo.taken": "photo taken",
        "case.timeline.kind.market.listing": "market: listing",
        "case.timeline.kind.market.feedback": "market: feedback",
        "case.timeline.kind.market.review": "market: review",
        "case.timeline.kind.chain.tx": "blockchain: transaction",
        "case.timeline.what.tx": "block {height}, {sats} sat out, fee {fee} sat",
        "case.timeline.what.photo": "photo taken",
        "case.timeline.what.photo_at": "photo taken at {lat}, {lon}",
        "case.report.fingerprint": "Case fingerprint",
        "case.report.data_course_version": "Course version that made the case data",
        "case.report.no_manifest": (
            "No case manifest at {path}: the world writes it into day 5's data."
        ),
    },
}


#: CLDR plural categories a catalogue may use as the last part of a message id.
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")


def plural_category(lang: str, count: float) -> str:
    """Return the CLDR plural category of ``count`` in ``lang`` ("one", "few", "many", "other").

    English: ``one`` for 1, else ``other``. Russian: ``one`` for 1, 21, 31 ...
    (not 11), ``few`` for 2-4, 22-24 ... (not 12-14), ``many`` for the other
    whole numbers, ``other`` for fractions (CLDR plural rules).

    Examples
    --------
    >>> [plural_category("ru", n) for n in (1, 2, 5, 11, 21, 1.5)]
    ['one', 'few', 'many', 'many', 'one', 'other']
    """
    whole = float(count).is_integer()
    n = int(abs(count)) if whole else None
    if lang == "ru":
        if n is None:
            return "other"
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


@lru_cache(maxsize=8)
def _key_language(path: str, mtime: float) -> str:
    try:
        lang = json.loads(Path(path).read_text(encoding="utf-8")).get("lang", "en")
    except (OSError, ValueError, AttributeError):
        return "en"
    return lang if isinstance(lang, str) else "en"


def _course_language() -> str:
    """The ``lang`` of the answer key in use (``$COURSE_ANSWER_KEY``, else
    ``keys/`` of the enclosing course), or ``en`` when none can be read."""
    from course.errors import CourseError
    from course.paths import find_root, key_path

    path = os.environ.get("COURSE_ANSWER_KEY")
    if not path:
        try:
            path = str(key_path(find_root()))
        except CourseError:
            return "en"
    try:
        return _key_language(path, os.stat(path).st_mtime)
    except OSError:
        return "en"


def language() -> str:
    """Return the active language code: ``COURSE_LANG``, else the language of
    the course in use, else ``en`` (also for a language the course lacks)."""
    from course.i18n import languages

    lang = os.environ.get("COURSE_LANG", "").strip() or _course_language()
    return lang if lang in languages() else "en"


def catalogue(lang: str) -> dict[str, str]:
    """``message id -> template`` of ``lang``: the English catalogue, or the
    current translations of the language's PO file (plural forms as
    ``<id>.<category>``)."""
    if lang == "en":
        return CATALOGUE["en"]
    from course.i18n.catalogues import messages

    return messages(lang)


def t(message_id: str, *, lang: str | None = None, **values: object) -> str:
    """Return the message ``message_id`` in the active language, formatted.

    Parameters
    ----------
    message_id
        A key of ``CATALOGUE["en"]``.
    lang
        A language to use instead of the active one.
    **values
        Values for the placeholders of the message.

    Raises
    ------
    KeyError
        If the id is not in the English catalogue (a programming error).
    """
    english = CATALOGUE["en"][message_id]
    template = catalogue(lang or language()).get(message_id, english)
    return template.format(**values)


def t_code(prefix: str, code: object, *, lang: str | None = None) -> str:
    """A code (a finding's kind, a column's name) in words: the message
    ``<prefix>.<code>`` when the catalogue has one, else the code as written."""
    key = f"{prefix}.{code}"
    return t(key, lang=lang) if key in CATALOGUE["en"] else str(code)


def tn(message_id: str, count: float, **values: object) -> str:
    """Return the plural form of ``message_id`` that fits ``count``, formatted.

    A plural message is stored as ``<message_id>.<category>`` for the CLDR
    categories its language needs (English: ``one`` and ``other``; Russian:
    ``one``, ``few``, ``many`` and ``other``). The form missing in the
    active language falls back to its ``other`` form, then to English.
    ``count`` is passed to the template as ``{count}``.

    Examples
    --------
    >>> tn("seizures.summary", 1, total_g=2.0)
    '1 seizure, 2.0 g in total'
    """
    lang = language()
    english = CATALOGUE["en"]
    own = catalogue(lang)
    category = plural_category(lang, count)
    for messages, form in ((own, category), (own, "other")):
        if f"{message_id}.{form}" in messages:
            return messages[f"{message_id}.{form}"].format(count=count, **values)
    form = plural_category("en", count)
    return english[f"{message_id}.{form}"].format(count=count, **values)
