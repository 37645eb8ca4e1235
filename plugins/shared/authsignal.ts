// Every Authsignal call gets a deadline: @authsignal/node sets no timeout of its own (checklist F2).
// The late call is not cancelled (the SDK takes no signal); its result is ignored and its rejection
// swallowed so it can never become an unhandled rejection.

export class DeadlineExceededError extends Error {
  constructor (what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`)
    this.name = 'DeadlineExceededError'
  }
}

export async function withDeadline<T> (what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const pending = call()
  pending.catch(() => {})
  try {
    return await Promise.race([
      pending,
      new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new DeadlineExceededError(what, ms)) }, ms) })
    ])
  } finally {
    clearTimeout(timer)
  }
}
