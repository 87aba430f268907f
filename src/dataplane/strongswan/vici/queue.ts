// A FIFO that runs one job at a time, for a protocol whose answers carry no sequence number.
//
//   caller ─▶ [job][job][job] ─▶ running job ─▶ caller's promise settles
//                 │ deadline passes while queued:  rejected and removed, never run
//                 │ deadline passes while running: rejected, but the job keeps its turn
//                 ▼                                until it finishes (its result is dropped)
//   fail(error): every waiting caller and the running job's caller are rejected with `error`
import { ViciTimeoutError } from './errors.ts';

export interface JobState {
  readonly label: string;
  /** True once the caller has been answered (or gave up); a running job may then stop early. */
  readonly settled: boolean;
}

interface Job extends JobState {
  settled: boolean;
  run: (job: JobState) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
}

export class SerialQueue {
  private readonly waiting: Job[] = [];
  private current: Job | null = null;
  private failure: unknown = null;

  /** @param defaultTimeoutMs deadline for jobs that name none; 0 means none. */
  constructor(private readonly defaultTimeoutMs: number) {}

  /** Queues `run`; its deadline (ms, 0 = none) counts from now, waiting time included. */
  push<R>(label: string, timeoutMs: number | undefined, run: (job: JobState) => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const job: Job = { label, run, resolve: resolve as (v: unknown) => void, reject, settled: false };
      const ms = timeoutMs ?? this.defaultTimeoutMs;
      if (ms > 0) {
        job.timer = setTimeout(() => {
          this.settle(job, new ViciTimeoutError(label, ms));
          const index = this.waiting.indexOf(job);
          if (index >= 0) this.waiting.splice(index, 1);
        }, ms);
      }
      this.waiting.push(job);
      this.next();
    });
  }

  /** Rejects every caller with `error` and refuses further jobs. */
  fail(error: unknown): void {
    this.failure ??= error;
    for (const job of this.waiting.splice(0)) this.settle(job, error);
    if (this.current) this.settle(this.current, error);
  }

  private settle(job: Job, error: unknown, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (error === undefined) job.resolve(value);
    else job.reject(error);
  }

  private next(): void {
    if (this.current || this.failure) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.current = job;
    job
      .run(job)
      .then(
        (value) => this.settle(job, undefined, value),
        (error) => this.settle(job, error ?? new Error(`${job.label} failed`)),
      )
      .finally(() => {
        this.current = null;
        this.next();
      });
  }
}
