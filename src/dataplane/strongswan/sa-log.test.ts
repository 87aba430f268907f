// The lines are charon 5.9.8's own, as this project's lab logged them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Outcome, SaLogBook } from './sa-log.ts';

function play(lines: [number, string, string][], book = new SaLogBook()): Outcome[] {
  return lines.map(([id, name, msg]) => book.add(id, name, msg)).filter((o): o is Outcome => o !== null);
}

describe('SaLogBook', () => {
  it('explains a responder NO_PROPOSAL_CHOSEN with both sides of the proposals, found by addresses', () => {
    const [o] = play([
      [5, '(unnamed)', 'received packet: from 198.51.100.13[500] to 192.0.2.5[500] (464 bytes)'],
      [5, '(unnamed)', '198.51.100.13 is initiating an IKE_SA'],
      [5, '(unnamed)', 'received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048'],
      [5, '(unnamed)', 'configured proposals: IKE:AES_CBC_256/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/ECP_521'],
      [5, '(unnamed)', 'received proposals unacceptable'],
    ]);
    assert.equal(o.kind, 'failure');
    assert.equal(o.notify, 'NO_PROPOSAL_CHOSEN');
    assert.equal(
      o.reason,
      'phase 1 NO_PROPOSAL_CHOSEN: no matching proposal (peer offered IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048, gateway accepts IKE:AES_CBC_256/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/ECP_521)',
    );
    assert.deepEqual([o.name, o.local, o.remote, o.lines.length], [undefined, '192.0.2.5', '198.51.100.13', 5]);
  });

  it('refines a CHILD_SA failure whose cause line arrives after it', () => {
    const [first, refined] = play([
      [9, 't', 'establishing CHILD_SA t{4}'],
      [9, 't', 'failed to establish CHILD_SA, keeping IKE_SA'],
      [9, 't', 'received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built'],
    ]);
    assert.deepEqual([first.reason, first.uncaused], ['phase 2 NO_PROPOSAL_CHOSEN: failed to establish CHILD_SA, keeping IKE_SA', true]);
    assert.deepEqual(
      [refined.reason, refined.uncaused],
      ["phase 2 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's ESP proposals", undefined],
    );
  });

  it('reports a CHILD_SA failure once when its cause came first', () => {
    const outcomes = play([
      [8, 't', 'received TS_UNACCEPTABLE notify, no CHILD_SA built'],
      [8, 't', 'failed to establish CHILD_SA, keeping IKE_SA'],
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.reason, o.uncaused]),
      [["phase 2 TS_UNACCEPTABLE: the peer refused the gateway's traffic selectors", undefined]],
    );
  });

  it('reads the notify an initiator received', () => {
    const [o] = play([
      [2, 't', 'initiating IKE_SA t[2] to 198.51.100.12'],
      [2, 't', 'parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]'],
      [2, 't', 'received NO_PROPOSAL_CHOSEN notify error'],
    ]);
    assert.equal(
      o.reason,
      "phase 1 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's IKE proposals, or has no configuration for this gateway",
    );
    assert.equal(o.name, 't');
    const [auth] = play([[3, 't', 'received AUTHENTICATION_FAILED notify error']]);
    assert.equal(auth.notify, 'AUTHENTICATION_FAILED');
  });

  it('reports a PSK mismatch seen as the responder', () => {
    const [o] = play([[6, 't', "tried 2 shared keys for '192.0.2.6' - '198.51.100.13', but MAC mismatched"]]);
    assert.equal(
      o.reason,
      "phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (tried 2 shared keys for '192.0.2.6' - '198.51.100.13', but MAC mismatched)",
    );
  });

  it('reports a refused CHILD_SA as a phase 2 failure once charon gives up on it', () => {
    const [esp] = play([
      [1, 't', 'IKE_SA t[1] established between 192.0.2.1[192.0.2.1]...198.51.100.10[198.51.100.10]'],
      [1, 't', 'received proposals: ESP:AES_CBC_256/HMAC_SHA2_512_256/NO_EXT_SEQ'],
      [1, 't', 'configured proposals: ESP:AES_CBC_128/HMAC_SHA2_256_128/MODP_3072/NO_EXT_SEQ'],
      [1, 't', 'no acceptable proposal found'],
      [1, 't', 'failed to establish CHILD_SA, keeping IKE_SA'],
    ]);
    assert.equal(
      esp.reason,
      'phase 2 NO_PROPOSAL_CHOSEN: no matching proposal (peer offered ESP:AES_CBC_256/HMAC_SHA2_512_256/NO_EXT_SEQ, gateway accepts ESP:AES_CBC_128/HMAC_SHA2_256_128/MODP_3072/NO_EXT_SEQ)',
    );
    const [ts] = play([
      [2, 't', 'traffic selectors 10.10.0.0/24 === 10.30.0.0/24 unacceptable'],
      [2, 't', 'failed to establish CHILD_SA, keeping IKE_SA'],
    ]);
    assert.equal(ts.reason, 'phase 2 TS_UNACCEPTABLE: traffic selectors 10.10.0.0/24 === 10.30.0.0/24 unacceptable');
    const [init] = play([
      [3, 't', 'received TS_UNACCEPTABLE notify, no CHILD_SA built'],
      [3, 't', 'failed to establish CHILD_SA, keeping IKE_SA'],
    ]);
    assert.equal(init.reason, "phase 2 TS_UNACCEPTABLE: the peer refused the gateway's traffic selectors");
  });

  it('tells a silent peer at setup from a DPD timeout of an established SA', () => {
    const [setup] = play([
      [1, 't', 'initiating IKE_SA t[1] to 198.51.100.99'],
      [1, 't', 'retransmit 1 of request with message ID 0'],
      [1, 't', 'retransmit 2 of request with message ID 0'],
      [1, 't', 'giving up after 2 retransmits'],
      [1, 't', 'establishing IKE_SA failed, peer not responding'],
    ]);
    assert.deepEqual(
      [setup.kind, setup.reason],
      ['timeout', 'peer did not respond: no response from peer 198.51.100.99 after 2 retransmits'],
    );
    const book = new SaLogBook();
    book.established(4, 't'); // established before this book started (a restarted sitevpn)
    const [dpd] = play(
      [
        [4, 't', 'sending DPD request'],
        [4, 't', 'generating INFORMATIONAL request 0 [ ]'],
        [4, 't', 'sending packet: from 192.0.2.1[4500] to 198.51.100.21[4500] (80 bytes)'],
        [4, 't', 'retransmit 1 of request with message ID 0'],
        [4, 't', 'sending packet: from 192.0.2.1[4500] to 198.51.100.21[4500] (80 bytes)'],
        [4, 't', 'retransmit 2 of request with message ID 0'],
        [4, 't', 'sending packet: from 192.0.2.1[4500] to 198.51.100.21[4500] (80 bytes)'],
        [4, 't', 'giving up after 2 retransmits'],
      ],
      book,
    );
    assert.deepEqual([dpd.kind, dpd.reason], ['dpd', 'DPD timeout: peer 198.51.100.21 not responding']);
  });

  it('reports a DELETE from the peer and keeps nothing for lines without an SA', () => {
    const [o] = play([
      [7, 't', 'received packet: from 198.51.100.22[4500] to 192.0.2.3[4500] (65 bytes)'],
      [7, 't', 'received DELETE for IKE_SA t[7]'],
    ]);
    assert.deepEqual([o.kind, o.reason], ['deleted', 'peer 198.51.100.22 deleted the IKE_SA']);
    const book = new SaLogBook();
    assert.equal(book.add(0, undefined, 'added vici connection: t'), null);
    assert.equal(book.size, 0);
  });

  it('turns the IKEv1 failures charon 5.9.8 logs into DOWN with the notify (issue 11, item 7)', () => {
    const [noConfig] = play([[7, '(unnamed)', 'no IKE config found for 192.0.2.1...198.51.100.11, sending NO_PROPOSAL_CHOSEN']]);
    assert.deepEqual(
      [noConfig.notify, noConfig.phase, noConfig.local, noConfig.remote],
      ['NO_PROPOSAL_CHOSEN', 1, '192.0.2.1', '198.51.100.11'],
    );
    const [p1] = play([
      [8, 't', 'initiating Main Mode IKE_SA t[8] to 198.51.100.11'],
      [8, 't', 'received NO_PROPOSAL_CHOSEN error notify'],
    ]);
    assert.equal(
      p1.reason,
      "phase 1 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's IKE proposals, or has no configuration for this gateway",
    );
    const [p2] = play([
      [9, 't', 'IKE_SA t[9] established between 192.0.2.1[192.0.2.1]...198.51.100.11[198.51.100.11]'],
      [9, 't', 'received NO_PROPOSAL_CHOSEN error notify'],
    ]);
    assert.equal(p2.reason, "phase 2 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's ESP proposals");
    const [ts] = play([
      [10, 't', 'IKE_SA t[10] established between a...b'],
      [10, 't', 'received INVALID_ID_INFORMATION error notify'],
    ]);
    assert.equal(ts.reason, "phase 2 TS_UNACCEPTABLE: the peer refused the gateway's traffic selectors (IKEv1 INVALID_ID_INFORMATION)");
    const [tsR] = play([[11, 't', 'no matching CHILD_SA config found for 10.30.0.0/24 === 10.10.0.0/24']]);
    assert.equal(
      tsR.reason,
      'phase 2 TS_UNACCEPTABLE: traffic selectors 10.30.0.0/24 === 10.10.0.0/24 unacceptable (IKEv1 INVALID_ID_INFORMATION)',
    );
    const [np1] = play([[12, '(unnamed)', 'no proposal found']]);
    assert.equal(np1.notify, 'NO_PROPOSAL_CHOSEN');
    const [np2] = play([[13, 't', 'no matching proposal found, sending NO_PROPOSAL_CHOSEN']]);
    assert.deepEqual([np2.notify, np2.phase], ['NO_PROPOSAL_CHOSEN', 2]);
  });

  it('reads an IKEv1 wrong PSK from undecryptable payloads, and a later give-up does not replace it', () => {
    const out = play([
      [14, '(unnamed)', 'remote endpoint changed from 0.0.0.0 to 198.51.100.11[500]'],
      [14, '(unnamed)', 'local endpoint changed from 0.0.0.0[500] to 192.0.2.1[500]'],
      [14, '(unnamed)', 'could not decrypt payloads'],
      [14, '(unnamed)', 'giving up after 2 retransmits'],
      [14, '(unnamed)', 'establishing IKE_SA failed, peer not responding'],
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0].reason, "phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (could not decrypt the peer's payloads)");
    assert.deepEqual([out[0].local, out[0].remote], ['192.0.2.1', '198.51.100.11']);
  });

  it("says charon could not send when a silent peer was never reached (an outside IP not on charon's host)", () => {
    const book = new SaLogBook();
    const [o] = play(
      [
        [21, 't', 'initiating IKE_SA t[21] to 198.51.100.11'],
        [21, 't', 'sending packet: from 192.0.2.77[500] to 198.51.100.11[500] (940 bytes)'],
        [0, '', 'error writing to socket: Network is unreachable'],
        [21, 't', 'retransmit 1 of request with message ID 0'],
        [21, 't', 'giving up after 1 retransmits'],
        [21, 't', 'establishing IKE_SA failed, peer not responding'],
      ],
      book,
    );
    assert.equal(
      o.reason,
      'peer did not respond: no response from peer 198.51.100.11 after 1 retransmits; charon could not send (error writing to socket: Network is unreachable): is 192.0.2.77 an address of the host charon runs on?',
    );
    const [later] = play(
      [
        [22, 't', 'initiating IKE_SA t[22] to 198.51.100.11'],
        [22, 't', 'establishing IKE_SA failed, peer not responding'],
      ],
      book,
    );
    assert.equal(later.reason, 'peer did not respond: no response from peer 198.51.100.11 after 0 retransmits');
  });

  it('reads a refused IKEv2 IKE rekey: the new IKE_SA logs the notify, the current one that it stays and when charon tries again', () => {
    const book = new SaLogBook();
    book.established(1, 't');
    const [failed, kept] = play(
      [
        [1, 't', "vici rekey IKE_SA 't'"],
        [1, 't', 'IKE_SA t[1] state change: ESTABLISHED => REKEYING'],
        [2, 't', 'received NO_PROPOSAL_CHOSEN notify error'],
        [1, 't', 'IKE_SA rekeying failed, trying again in 9 seconds'],
      ],
      book,
    );
    const reason = "phase 1 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's IKE proposals";
    assert.deepEqual([failed.ikeId, failed.reason, failed.ikeRekey], [2, `${reason}, or has no configuration for this gateway`, undefined]);
    assert.deepEqual(
      [kept.kind, kept.ikeId, kept.phase, kept.notify, kept.reason, kept.ikeRekey, kept.retryS],
      ['failure', 1, 1, 'NO_PROPOSAL_CHOSEN', reason, true, 9],
    );
  });

  it('says charon logged no reason when a refused IKE rekey comes without the new IKE_SA’s failure', () => {
    const [kept] = play([[4, 't', 'IKE_SA rekeying failed, trying again in 12 seconds']]);
    assert.deepEqual([kept.reason, kept.notify, kept.retryS], ['phase 1 IKE rekey failed: charon logged no reason', undefined, 12]);
  });
});
