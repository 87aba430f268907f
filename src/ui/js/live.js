// The live event stream (GET /sitevpn/v1/projects/{p}/events?follow=true): NDJSON read with
// fetch streaming, one object per line. It reconnects with back-off when the server goes away;
// `onState` tells the page whether it is live, so it can refresh what it may have missed.
import { api } from './api.js';

export function follow(onEvent, onState) {
  let stopped = false;
  let controller;
  let delay = 1000;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await api.follow(controller.signal);
        onState(true);
        delay = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (line) onEvent(JSON.parse(line));
          }
        }
      } catch {
        // aborted, refused or cut: fall through to the retry below
      }
      if (stopped) return;
      onState(false);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30000);
    }
  };
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
