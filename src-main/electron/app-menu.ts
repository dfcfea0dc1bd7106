// The native application menu: built from buildMenuTemplate (plain data,
// tested in Node) with the backend's state, rebuilt when a project opens or
// closes. Window commands go to the renderer on APP_COMMAND_CHANNEL; Help and
// About are answered here.
import { app, dialog, Menu, shell, type BrowserWindow } from 'electron';
import { APP_COMMAND_CHANNEL, type AppCommand, type ProjectSummary, type RecentProject } from '../../src-shared/contract';
import type { ApiBackend } from '../app/api-backend-types';
import { routeMenuAction, toElectronTemplate } from '../electron-model/menu-routing';
import { buildMenuTemplate, type MenuAction } from '../electron-model/menu-template';

export interface AppMenuOptions {
  backend: ApiBackend;
  window: () => BrowserWindow | null;
  /** Brings the window forward (restored if minimised). */
  focus: () => void;
  development: boolean;
  /** docs/user-guide.md as shipped with the app. */
  userGuidePath: string;
}

export interface AppMenu {
  /** Reads the open project and the recent list from the backend and rebuilds the menu. */
  refresh(): Promise<void>;
  /** The project open now, as of the last refresh (null: none). */
  openPath(): string | null;
  /** Sends a command to the window (menu items, a second launch). */
  send(command: AppCommand): void;
}

export function createAppMenu(opts: AppMenuOptions): AppMenu {
  let openPath: string | null = null;

  const send = (command: AppCommand) => {
    const win = opts.window();
    if (win !== null && !win.isDestroyed()) win.webContents.send(APP_COMMAND_CHANNEL, command);
  };

  const onAction = (action: MenuAction) => {
    const routed = routeMenuAction(action, openPath);
    if (routed.to === 'window') return send(routed.command);
    if (routed.what === 'focus') return opts.focus();
    if (routed.what === 'user-guide') {
      void shell.openPath(opts.userGuidePath).then((error) => {
        if (error !== '') void dialog.showMessageBox({ type: 'info', message: 'The user guide could not be opened', detail: `${opts.userGuidePath}: ${error}` });
      });
      return;
    }
    const about = { type: 'info' as const, title: 'About fibrecon', message: `fibrecon ${app.getVersion()}`, detail: 'FIB-SEM tomography reconstruction of nanoporous materials.' };
    const win = opts.window();
    void (win ? dialog.showMessageBox(win, about) : dialog.showMessageBox(about));
  };

  return {
    async refresh() {
      const summary = await opts.backend.call('projectSummary', undefined);
      const recent = await opts.backend.call('listRecentProjects', undefined);
      openPath = summary.ok ? (summary.value as ProjectSummary).path : null;
      const template = buildMenuTemplate({
        platform: process.platform,
        appName: app.getName(),
        projectOpen: openPath !== null,
        recent: recent.ok ? (recent.value as RecentProject[]) : [],
        development: opts.development,
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronTemplate(template, onAction)));
    },
    openPath: () => openPath,
    send,
  };
}
