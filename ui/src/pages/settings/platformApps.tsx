// Sign in with USPS outside Sandbox needs a USPS platform app that whoever runs Shipdesk
// configured (usps-platform-apps.toml, or one built in). Core reports, per environment, the app
// in use or why there is none (the doctor report); Add account and About show it.
import { useEffect, useState } from "react";
import { ipc, type Environment } from "../../ipc";
import type { PlatformAppStatus } from "../../bindings/PlatformAppStatus";
import { ENVIRONMENT_LABEL } from "./StatusChip";

export type { PlatformAppStatus };

/** TEM's and Production's platform-app statuses; `null` until known (or when they cannot be read). */
export function usePlatformApps(): PlatformAppStatus[] | null {
  const [statuses, setStatuses] = useState<PlatformAppStatus[] | null>(null);
  useEffect(() => {
    let live = true;
    Promise.resolve()
      .then(() => ipc.doctor())
      .then(
        (report) => live && setStatuses(report.platform_apps),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, []);
  return statuses;
}

/** Why Sign in with USPS cannot be used in `environment`, or `null` when it can (or is not known yet). */
export function signInNotSetUp(statuses: PlatformAppStatus[] | null, environment: Environment): string | null {
  const status = statuses?.find((s) => s.environment === environment);
  if (!status || status.app) return null;
  return `Sign in with USPS is not set up for ${ENVIRONMENT_LABEL[environment]} in this copy of Shipdesk: ${
    status.problem ?? "no USPS platform app is configured for it."
  } Use your own USPS app's credentials instead.`;
}

/** About: which platform app each environment signs in with, where it was configured. */
export function PlatformAppFacts({ statuses }: { statuses: PlatformAppStatus[] }) {
  return (
    <>
      {statuses.map((s) => (
        <div key={s.environment} style={{ display: "contents" }} data-platform-app={s.environment}>
          <dt>Sign in with USPS ({ENVIRONMENT_LABEL[s.environment]})</dt>
          {s.app ? (
            <dd>
              client id {s.app.client_id}, redirect {s.app.redirect_uri}
              <br />
              from {s.app.source}
            </dd>
          ) : (
            <dd className="notice">Not set up: {s.problem}</dd>
          )}
        </div>
      ))}
    </>
  );
}
