// Run before `npm test`: the suite needs Debian's Chromium (browser journeys) and redis-server (the shared
// store's tests start their own). Each is found on the machine, installed with apt-get when this runs as
// root (a fresh CI machine), or the test run stops at once with the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const onPath = command => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

const missing = [
  ...(existsSync(chromium) ? [] : ['chromium']),
  ...(onPath('redis-server') ? [] : ['redis-server'])
]
if (missing.length > 0) {
  const install = `apt-get update && apt-get install -y ${missing.join(' ')}`
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    console.log(`npm test: installing ${missing.join(' and ')} (${install})`)
    try {
      execFileSync('sh', ['-c', `${install} >/dev/null`], { stdio: 'inherit' })
    } catch {
      console.error(`npm test: could not install ${missing.join(' and ')}; run: sudo ${install}`)
      process.exit(1)
    }
  } else {
    console.error(`npm test needs ${missing.join(' and ')} (Debian packages). Run:\n\n  sudo ${install}\n`)
    process.exit(1)
  }
}
