import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU seconds used so far by every PostgreSQL server process on this machine (utime + stime, plus cutime +
 * cstime so that backends which already exited, reaped by the postmaster, still count). The delta over a
 * query is the server's work for it, which the load of other people's processes on the 2 cores changes
 * much less than the wall time. Other sessions on the same server would be counted too.
 */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
      const f = stat.slice(close + 2).split(" ");
      // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 after the state field.
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // the process ended
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}
