import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup } from "@testing-library/react";
import type { DoctorReport } from "../../ipc";

const doctor = vi.fn();
const uspsSignInStart = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      doctor: () => doctor(),
      uspsRedirectPort: async () => 8765,
      uspsSignInStart: (r: unknown) => uspsSignInStart(r),
      uspsSignInFinish: async () => undefined,
      uspsSignInCancel: async () => undefined,
    },
  };
});

import { AddAccount } from "./AddAccount";

const PRODUCTION_PROBLEM =
  "no USPS platform app is configured for Production (add a [production] table with your app's client_id and redirect_uri to /data/usps-platform-apps.toml or /etc/shipdesk/usps-platform-apps.toml; see the README).";

function report(): DoctorReport {
  return {
    version: "0.1.0",
    build: "debug build for x86_64-linux",
    data_dir: "/data",
    data_dir_source: "explicit",
    database_path: "/data/shipdesk.sqlite3",
    schema_version: 9,
    latest_schema_version: 9,
    environment: "sandbox",
    platform_apps: [
      {
        environment: "tem",
        app: {
          client_id: "tem-app",
          redirect_uri: "http://127.0.0.1:8765/usps/callback",
          source: "/data/usps-platform-apps.toml",
          secret_source: "file",
        },
        problem: null,
      },
      { environment: "production", app: null, problem: PRODUCTION_PROBLEM },
    ],
  };
}

function chooseEnvironment(environment: string) {
  const select = document.querySelector<HTMLSelectElement>('[data-field="environment"]')!;
  fireEvent.change(select, { target: { value: environment } });
}

describe("Add account › Sign in with USPS outside Sandbox", () => {
  beforeEach(() => {
    cleanup();
    doctor.mockReset().mockResolvedValue(report());
    uspsSignInStart.mockReset();
  });

  it("says why Sign in with USPS is not offered for Production and offers the own-app path", async () => {
    render(<AddAccount onDone={() => undefined} onCancel={() => undefined} />);
    await vi.waitFor(() => expect(doctor).toHaveBeenCalled());
    expect(screen.queryByTestId("sign-in-not-set-up")).toBeNull();

    chooseEnvironment("production");
    const notice = await screen.findByTestId("sign-in-not-set-up");
    expect(notice.textContent).toContain(
      `Sign in with USPS is not set up for Production in this copy of Shipdesk: ${PRODUCTION_PROBLEM} Use your own USPS app's credentials instead.`,
    );
    const signIn = document.querySelector<HTMLButtonElement>('[data-action="sign-in-with-usps"]')!;
    expect(signIn.disabled).toBe(true);
    fireEvent.click(signIn);
    expect(uspsSignInStart).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Connect with my own USPS app" }));
    expect(document.querySelector('[data-field="client_id"]')).toBeTruthy();
    expect(document.querySelector<HTMLSelectElement>('[data-field="environment"]')!.value).toBe("production");
  });

  it("offers Sign in with USPS where a platform app is configured, and in Sandbox", async () => {
    render(<AddAccount onDone={() => undefined} onCancel={() => undefined} />);
    await vi.waitFor(() => expect(doctor).toHaveBeenCalled());
    chooseEnvironment("production");
    await screen.findByTestId("sign-in-not-set-up");
    chooseEnvironment("tem");
    expect(screen.queryByTestId("sign-in-not-set-up")).toBeNull();
    expect(document.querySelector<HTMLButtonElement>('[data-action="sign-in-with-usps"]')!.disabled).toBe(false);
    chooseEnvironment("sandbox");
    expect(screen.queryByTestId("sign-in-not-set-up")).toBeNull();
  });
});
