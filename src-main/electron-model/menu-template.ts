// The application menu as plain data, built from the app's state. No Electron
// here: main.ts turns the data into a Menu (Menu.buildFromTemplate) and routes
// each item's action; this module is tested in Node.
import type { RecentProject } from '../../src-shared/contract';

/** What a menu item does when chosen; main.ts handles it or forwards it to the window as an AppCommand. */
export type MenuAction =
  | { id: 'new-project' | 'open-project' | 'import-stack' | 'close-project' | 'next-slice' | 'previous-slice' | 'view-3d' }
  | { id: 'open-recent'; path: string }
  | { id: 'user-guide' | 'about' };

/** Standard items Electron implements itself (quit, copy, reload...). */
export type MenuRole =
  | 'quit'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'services'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'close';

export type MenuItemData =
  | { type: 'separator' }
  | { label: string; action: MenuAction; accelerator?: string; enabled: boolean }
  | { role: MenuRole; label?: string; accelerator?: string; enabled?: boolean }
  | { label: string; submenu: MenuItemData[]; enabled?: boolean; role?: 'appMenu' | 'fileMenu' | 'editMenu' | 'viewMenu' | 'windowMenu' | 'help' };

export interface MenuState {
  platform: NodeJS.Platform;
  /** Shown in the macOS app menu ("About fibrecon", "Quit fibrecon"). */
  appName: string;
  projectOpen: boolean;
  /** Newest first, as listRecentProjects gives them. */
  recent: RecentProject[];
  /** Unpackaged app (electron-vite dev): Reload and the developer tools. */
  development: boolean;
}

const SEPARATOR: MenuItemData = { type: 'separator' };
/** Files in Open recent (the backend keeps 10). */
export const RECENT_IN_MENU = 10;

export function buildMenuTemplate(state: MenuState): MenuItemData[] {
  const mac = state.platform === 'darwin';
  const about: MenuItemData = { label: `About ${state.appName}`, action: { id: 'about' }, enabled: true };
  const menus: MenuItemData[] = [];
  if (mac) {
    menus.push({
      label: state.appName,
      role: 'appMenu',
      submenu: [about, SEPARATOR, { role: 'services' }, SEPARATOR, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, SEPARATOR, { role: 'quit', label: `Quit ${state.appName}` }],
    });
  }
  menus.push({ label: mac ? 'File' : '&File', role: 'fileMenu', submenu: fileMenu(state, mac) });
  // Without an Edit menu, copy and paste do not work in text fields on macOS.
  menus.push({
    label: mac ? 'Edit' : '&Edit',
    role: 'editMenu',
    submenu: [{ role: 'undo' }, { role: 'redo' }, SEPARATOR, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  menus.push({ label: mac ? 'View' : '&View', role: 'viewMenu', submenu: viewMenu(state) });
  if (mac) menus.push({ label: 'Window', role: 'windowMenu', submenu: [{ role: 'minimize' }, { role: 'zoom' }] });
  menus.push({
    label: mac ? 'Help' : '&Help',
    role: 'help',
    submenu: mac ? [{ label: 'User guide', action: { id: 'user-guide' }, enabled: true }] : [{ label: 'User guide', action: { id: 'user-guide' }, enabled: true }, SEPARATOR, about],
  });
  return menus;
}

function fileMenu(state: MenuState, mac: boolean): MenuItemData[] {
  const items: MenuItemData[] = [
    { label: 'New project…', action: { id: 'new-project' }, accelerator: 'CmdOrCtrl+N', enabled: true },
    { label: 'Open project…', action: { id: 'open-project' }, accelerator: 'CmdOrCtrl+O', enabled: true },
    { label: 'Open recent', submenu: recentMenu(state.recent), enabled: state.recent.length > 0 },
    SEPARATOR,
    { label: 'Import stack…', action: { id: 'import-stack' }, accelerator: 'CmdOrCtrl+I', enabled: state.projectOpen },
    SEPARATOR,
    { label: 'Close project', action: { id: 'close-project' }, accelerator: 'CmdOrCtrl+W', enabled: state.projectOpen },
  ];
  // On macOS Quit lives in the app menu.
  if (!mac) items.push(SEPARATOR, { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' });
  return items;
}

function recentMenu(recent: RecentProject[]): MenuItemData[] {
  if (recent.length === 0) return [{ label: 'No recent projects', action: { id: 'open-project' }, enabled: false }];
  return recent.slice(0, RECENT_IN_MENU).map((r) => ({
    // The name when there is one, else the file name; a missing file stays listed but cannot be chosen.
    label: `${r.name ?? fileName(r.path)}  (${r.path})${r.exists ? '' : ' — file not found'}`,
    action: { id: 'open-recent', path: r.path },
    enabled: r.exists,
  }));
}

function viewMenu(state: MenuState): MenuItemData[] {
  const items: MenuItemData[] = [
    { label: 'Next slice', action: { id: 'next-slice' }, accelerator: 'CmdOrCtrl+Down', enabled: state.projectOpen },
    { label: 'Previous slice', action: { id: 'previous-slice' }, accelerator: 'CmdOrCtrl+Up', enabled: state.projectOpen },
    SEPARATOR,
    { label: '3D view', action: { id: 'view-3d' }, accelerator: 'CmdOrCtrl+3', enabled: state.projectOpen },
    SEPARATOR,
    { role: 'togglefullscreen' },
  ];
  if (state.development) items.push(SEPARATOR, { role: 'reload' }, { role: 'toggleDevTools' });
  return items;
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
