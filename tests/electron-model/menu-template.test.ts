// The application menu as data: items and their order per platform,
// accelerators, what is enabled with and without a project, the recent list,
// and how a chosen item is routed (window command or main's own action).
import { describe, expect, it, vi } from 'vitest';
import type { RecentProject } from '../../src-shared/contract';
import { buildMenuTemplate, type MenuItemData, type MenuState } from '../../src-main/electron-model/menu-template';
import { routeMenuAction, toElectronTemplate } from '../../src-main/electron-model/menu-routing';

const recent: RecentProject[] = [
  { path: '/data/b.fibrecon', name: 'Sample B', openedAt: '2026-01-02T00:00:00Z', exists: true },
  { path: '/data/gone.fibrecon', name: null, openedAt: '2026-01-01T00:00:00Z', exists: false },
];
const base: MenuState = { platform: 'linux', appName: 'fibrecon', projectOpen: false, recent, development: false };

type Labelled = Extract<MenuItemData, { label: string }>;
const labelOf = (i: MenuItemData): string => ('type' in i ? '---' : 'label' in i && i.label !== undefined ? i.label : `role:${(i as { role: string }).role}`);
const menu = (items: MenuItemData[], label: string): MenuItemData[] => {
  const found = items.find((i) => 'submenu' in i && i.label.replace('&', '') === label);
  if (!found || !('submenu' in found)) throw new Error(`no menu ${label}`);
  return found.submenu;
};
const item = (items: MenuItemData[], label: string): Labelled => {
  const found = items.find((i) => 'label' in i && i.label === label);
  if (!found) throw new Error(`no item ${label} in ${items.map(labelOf).join(', ')}`);
  return found as Labelled;
};

describe('buildMenuTemplate', () => {
  it('Windows and Linux: File, Edit, View, Help with mnemonics; Quit at the end of File, About in Help', () => {
    const t = buildMenuTemplate(base);
    expect(t.map(labelOf)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(menu(t, 'File').map(labelOf)).toEqual(['New project…', 'Open project…', 'Open recent', '---', 'Import stack…', '---', 'Close project', '---', 'Quit']);
    expect(menu(t, 'Help').map(labelOf)).toEqual(['User guide', '---', 'About fibrecon']);
  });

  it('macOS: the app menu first (About, Quit), Quit not in File, a Window menu', () => {
    const t = buildMenuTemplate({ ...base, platform: 'darwin' });
    expect(t.map(labelOf)).toEqual(['fibrecon', 'File', 'Edit', 'View', 'Window', 'Help']);
    const appMenu = t[0] as Extract<MenuItemData, { submenu: MenuItemData[] }>;
    expect(appMenu.role).toBe('appMenu');
    expect(appMenu.submenu.map(labelOf)[0]).toBe('About fibrecon');
    expect(appMenu.submenu.map(labelOf)).toContain('Quit fibrecon');
    expect(menu(t, 'File').map(labelOf)).not.toContain('Quit');
    expect(menu(t, 'Help').map(labelOf)).toEqual(['User guide']);
  });

  it('accelerators: new, open, import, close, slice stepping and 3D view', () => {
    const t = buildMenuTemplate({ ...base, projectOpen: true });
    const acc = (m: string, l: string) => (item(menu(t, m), l) as { accelerator?: string }).accelerator;
    expect(acc('File', 'New project…')).toBe('CmdOrCtrl+N');
    expect(acc('File', 'Open project…')).toBe('CmdOrCtrl+O');
    expect(acc('File', 'Import stack…')).toBe('CmdOrCtrl+I');
    expect(acc('File', 'Close project')).toBe('CmdOrCtrl+W');
    expect(acc('View', 'Next slice')).toBe('CmdOrCtrl+Down');
    expect(acc('View', 'Previous slice')).toBe('CmdOrCtrl+Up');
    expect(acc('View', '3D view')).toBe('CmdOrCtrl+3');
    // No two items share an accelerator.
    const all = t.flatMap((m) => ('submenu' in m ? m.submenu : [])).flatMap((i) => ('accelerator' in i && i.accelerator ? [i.accelerator] : []));
    expect(new Set(all).size).toBe(all.length);
  });

  it('project items are enabled only with a project open; new and open always', () => {
    for (const projectOpen of [false, true]) {
      const t = buildMenuTemplate({ ...base, projectOpen });
      for (const [m, l] of [['File', 'Import stack…'], ['File', 'Close project'], ['View', 'Next slice'], ['View', 'Previous slice'], ['View', '3D view']]) {
        expect(item(menu(t, m), l).enabled, `${l} with projectOpen ${projectOpen}`).toBe(projectOpen);
      }
      expect(item(menu(t, 'File'), 'New project…').enabled).toBe(true);
      expect(item(menu(t, 'File'), 'Open project…').enabled).toBe(true);
    }
  });

  it('Open recent lists the recent projects newest first; a missing file is listed but disabled', () => {
    const sub = menu(menu(buildMenuTemplate(base), 'File'), 'Open recent');
    expect(sub).toEqual([
      { label: 'Sample B  (/data/b.fibrecon)', action: { id: 'open-recent', path: '/data/b.fibrecon' }, enabled: true },
      { label: 'gone.fibrecon  (/data/gone.fibrecon) — file not found', action: { id: 'open-recent', path: '/data/gone.fibrecon' }, enabled: false },
    ]);
  });

  it('no recent projects: Open recent disabled with one disabled placeholder; at most 10 listed', () => {
    const file = menu(buildMenuTemplate({ ...base, recent: [] }), 'File');
    expect(item(file, 'Open recent').enabled).toBe(false);
    expect(menu(file, 'Open recent').map((i) => [labelOf(i), (i as Labelled & { enabled?: boolean }).enabled])).toEqual([['No recent projects', false]]);
    const many = Array.from({ length: 14 }, (_, k) => ({ ...recent[0]!, path: `/d/${k}.fibrecon` }));
    expect(menu(menu(buildMenuTemplate({ ...base, recent: many }), 'File'), 'Open recent')).toHaveLength(10);
  });

  it('Reload and the developer tools only in development', () => {
    const roles = (development: boolean) => menu(buildMenuTemplate({ ...base, development }), 'View').flatMap((i) => ('role' in i && !('submenu' in i) ? [i.role] : []));
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});

describe('routeMenuAction and toElectronTemplate', () => {
  it('window commands for the wizard, main handles help and about', () => {
    expect(routeMenuAction({ id: 'next-slice' }, null)).toEqual({ to: 'window', command: { command: 'next-slice' } });
    expect(routeMenuAction({ id: 'new-project' }, '/a.fibrecon')).toEqual({ to: 'window', command: { command: 'new-project' } });
    expect(routeMenuAction({ id: 'about' }, null)).toEqual({ to: 'main', what: 'about' });
    expect(routeMenuAction({ id: 'user-guide' }, null)).toEqual({ to: 'main', what: 'user-guide' });
  });

  it('a recent project that is open already only brings the window forward; another one opens', () => {
    expect(routeMenuAction({ id: 'open-recent', path: '/data/b.fibrecon' }, '/data/./b.fibrecon')).toEqual({ to: 'main', what: 'focus' });
    expect(routeMenuAction({ id: 'open-recent', path: '/data/b.fibrecon' }, '/data/a.fibrecon')).toEqual({ to: 'window', command: { command: 'open-path', path: '/data/b.fibrecon' } });
    expect(routeMenuAction({ id: 'open-recent', path: '/data/b.fibrecon' }, null)).toEqual({ to: 'window', command: { command: 'open-path', path: '/data/b.fibrecon' } });
  });

  it('Electron template: clicks call back with the item\'s action, roles and separators pass through, no undefined keys', () => {
    const onAction = vi.fn();
    const t = toElectronTemplate(buildMenuTemplate({ ...base, projectOpen: true }), onAction);
    const file = t[0]!.submenu as { label?: string; click?: () => void; role?: string; type?: string }[];
    file.find((i) => i.label === 'Import stack…')!.click!();
    expect(onAction).toHaveBeenCalledWith({ id: 'import-stack' });
    const recentItems = file.find((i) => i.label === 'Open recent') as unknown as { submenu: { click: () => void }[] };
    recentItems.submenu[0]!.click();
    expect(onAction).toHaveBeenLastCalledWith({ id: 'open-recent', path: '/data/b.fibrecon' });
    expect(file.find((i) => i.role === 'quit')).toEqual({ role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' });
    expect(file[3]).toEqual({ type: 'separator' });
    const walk = (items: object[]): void => items.forEach((i) => {
      expect(Object.values(i)).not.toContain(undefined);
      if ('submenu' in i && Array.isArray(i.submenu)) walk(i.submenu as object[]);
    });
    walk(t);
  });
});
