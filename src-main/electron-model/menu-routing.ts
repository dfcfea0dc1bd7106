// From the menu's data to what Electron wants, and from a chosen item to what
// happens: a command for the window, or something main does itself. Pure (the
// Electron types only), tested in Node.
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../src-shared/contract';
import { launchDecision } from './launch-args';
import type { MenuAction, MenuItemData } from './menu-template';

export type RoutedAction = { to: 'window'; command: AppCommand } | { to: 'main'; what: 'focus' | 'user-guide' | 'about' };

/** `openPath`: the project open now (null: none). Opening it again only brings the window forward. */
export function routeMenuAction(action: MenuAction, openPath: string | null): RoutedAction {
  switch (action.id) {
    case 'open-recent':
      return launchDecision(action.path, openPath) === 'focus' ? { to: 'main', what: 'focus' } : { to: 'window', command: { command: 'open-path', path: action.path } };
    case 'user-guide':
    case 'about':
      return { to: 'main', what: action.id };
    default:
      return { to: 'window', command: { command: action.id } };
  }
}

/** Electron's template for Menu.buildFromTemplate; every action item calls `onAction`. */
export function toElectronTemplate(items: MenuItemData[], onAction: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if ('type' in item) return { type: 'separator' };
    if ('submenu' in item) return withoutUndefined({ label: item.label, role: item.role, enabled: item.enabled, submenu: toElectronTemplate(item.submenu, onAction) });
    if ('action' in item) {
      const action = item.action;
      return withoutUndefined({ label: item.label, accelerator: item.accelerator, enabled: item.enabled, click: () => onAction(action) });
    }
    return withoutUndefined({ role: item.role, label: item.label, accelerator: item.accelerator, enabled: item.enabled });
  });
}

// Electron reads a key that is present as set (an undefined role or label is not "absent").
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
