"use client";

import * as React from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  Activity,
  BookOpen,
  Bot,
  Box,
  Boxes,
  Building,
  ChartColumn,
  Circle,
  CircleUser,
  Clock,
  Cpu,
  CreditCard,
  Database,
  FileText,
  Files,
  Folder,
  FolderKanban,
  Gauge,
  Globe,
  House,
  Key,
  KeyRound,
  Layers,
  LayoutDashboard,
  List,
  Lock,
  type LucideIcon,
  Mail,
  Menu,
  MessageSquare,
  Plug,
  Receipt,
  ScrollText,
  Server,
  Settings,
  Shield,
  ShieldCheck,
  SlidersHorizontal,
  Sparkles,
  Terminal,
  User,
  UserPlus,
  Users,
  Wallet,
  Webhook,
  Zap,
} from "lucide-react";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";

export type SidebarItem = {
  href: string;
  label: string;
  /** lucide icon name, kebab or Pascal case: "key-round" / "KeyRound". Unknown names render a dot. */
  icon: string;
  /** Only active on an exact path match (default: also active on sub-paths). */
  exact?: boolean;
  /** Override the link's test id suffix (default: slug of `label`), e.g. when two sections both have "Members". */
  testId?: string;
};

export type SidebarSection = {
  title: string;
  items: SidebarItem[];
};

const ICONS: Record<string, LucideIcon> = {
  activity: Activity,
  apikeys: KeyRound,
  audit: ScrollText,
  auditlog: ScrollText,
  barchart: ChartColumn,
  billing: CreditCard,
  bookopen: BookOpen,
  bot: Bot,
  box: Box,
  boxes: Boxes,
  building: Building,
  chart: ChartColumn,
  chartcolumn: ChartColumn,
  circle: Circle,
  circleuser: CircleUser,
  clock: Clock,
  cpu: Cpu,
  creditcard: CreditCard,
  dashboard: LayoutDashboard,
  database: Database,
  docs: BookOpen,
  filetext: FileText,
  files: Files,
  folder: Folder,
  folderkanban: FolderKanban,
  gauge: Gauge,
  globe: Globe,
  home: House,
  house: House,
  key: Key,
  keyround: KeyRound,
  layers: Layers,
  layoutdashboard: LayoutDashboard,
  limits: Gauge,
  list: List,
  lock: Lock,
  logs: ScrollText,
  mail: Mail,
  members: Users,
  messagesquare: MessageSquare,
  models: Boxes,
  playground: Terminal,
  plug: Plug,
  projects: FolderKanban,
  receipt: Receipt,
  scrolltext: ScrollText,
  server: Server,
  settings: Settings,
  shield: Shield,
  shieldcheck: ShieldCheck,
  sliders: SlidersHorizontal,
  slidershorizontal: SlidersHorizontal,
  sparkles: Sparkles,
  terminal: Terminal,
  usage: ChartColumn,
  user: User,
  userplus: UserPlus,
  users: Users,
  wallet: Wallet,
  webhook: Webhook,
  zap: Zap,
};

function iconFor(name: string): LucideIcon {
  return ICONS[name.toLowerCase().replace(/[^a-z0-9]/g, "")] ?? Circle;
}

function slug(s: string) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function matches(pathname: string, item: SidebarItem) {
  const href = item.href.split(/[?#]/)[0].replace(/\/$/, "") || "/";
  if (pathname === href) return true;
  if (item.exact || href === "/") return false;
  return pathname.startsWith(href + "/");
}

/** The single active href: the longest matching one, so `/p/1` and `/p/1/keys` don't both light up. */
function useActiveHref(sections: SidebarSection[]) {
  const pathname = usePathname() ?? "";
  let best: string | null = null;
  for (const section of sections) {
    for (const item of section.items) {
      if (matches(pathname, item) && (best === null || item.href.length > best.length)) best = item.href;
    }
  }
  return best;
}

export type SidebarNavProps = {
  sections: SidebarSection[];
  /** Called after a link is clicked (the mobile sheet uses it to close). */
  onNavigate?: () => void;
  /** Prefix for link test ids: `${prefix}${slug(label)}`. Default "nav-". */
  testIdPrefix?: string;
  className?: string;
};

/** The list of nav sections/links, with the active item highlighted (`aria-current="page"`). */
export function SidebarNav({ sections, onNavigate, testIdPrefix = "nav-", className }: SidebarNavProps) {
  const active = useActiveHref(sections);
  return (
    <nav aria-label="Console" className={cn("flex flex-col gap-5", className)}>
      {sections.map((section, i) => (
        <div key={section.title || i} className="flex flex-col gap-0.5">
          {section.title && (
            <h2 className="px-2.5 pb-1 text-[11px] font-medium tracking-wider text-muted-foreground uppercase">
              {section.title}
            </h2>
          )}
          <ul className="flex flex-col gap-0.5">
            {section.items.map((item) => {
              const Icon = iconFor(item.icon);
              const isActive = item.href === active;
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    onClick={onNavigate}
                    aria-current={isActive ? "page" : undefined}
                    data-testid={`${testIdPrefix}${item.testId ?? slug(item.label)}`}
                    data-active={isActive ? "true" : undefined}
                    className={cn(
                      "group flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm text-sidebar-foreground transition-colors outline-none hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                      isActive && "bg-sidebar-accent font-medium text-sidebar-accent-foreground",
                    )}
                  >
                    <Icon
                      aria-hidden="true"
                      className={cn(
                        "size-4 shrink-0 text-muted-foreground transition-colors group-hover:text-sidebar-accent-foreground",
                        isActive && "text-sidebar-accent-foreground",
                      )}
                    />
                    <span className="truncate">{item.label}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export type SidebarProps = {
  sections: SidebarSection[];
  /** Top slot (e.g. `<Logo />` in a link). */
  brand?: React.ReactNode;
  /** Bottom slot (e.g. docs link, version). */
  footer?: React.ReactNode;
  className?: string;
};

/** Desktop sidebar (hidden below `md`). Pair with `<MobileSidebar>` for phone widths. */
export function Sidebar({ sections, brand, footer, className }: SidebarProps) {
  return (
    <aside
      data-testid="sidebar"
      className={cn(
        "sticky top-0 hidden h-dvh w-60 shrink-0 flex-col border-r border-sidebar-border bg-sidebar md:flex",
        className,
      )}
    >
      {brand && <div className="flex h-14 shrink-0 items-center px-4">{brand}</div>}
      <div className="flex-1 overflow-y-auto px-2.5 py-3">
        <SidebarNav sections={sections} />
      </div>
      {footer && <div className="shrink-0 border-t border-sidebar-border p-3">{footer}</div>}
    </aside>
  );
}

/**
 * Menu button (visible below `md`) that opens the nav in a left slide-over sheet.
 * Links inside use test ids `mobile-nav-<label>` so they never collide with the desktop `nav-<label>`.
 */
export function MobileSidebar({ sections, brand, footer, className }: SidebarProps) {
  const [open, setOpen] = React.useState(false);
  // Close the sheet whenever the route changes (e.g. via the brand link or a redirect).
  const pathname = usePathname();
  const [lastPathname, setLastPathname] = React.useState(pathname);
  if (pathname !== lastPathname) {
    setLastPathname(pathname);
    setOpen(false);
  }
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Open navigation"
          data-testid="mobile-nav-trigger"
          className={cn("-ml-1 md:hidden", className)}
        >
          <Menu aria-hidden="true" />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" aria-describedby={undefined} data-testid="mobile-nav" className="w-72 bg-sidebar p-0">
        <SheetTitle className="sr-only">Navigation</SheetTitle>
        <div className="flex h-14 shrink-0 items-center border-b border-sidebar-border px-4">{brand}</div>
        <div className="flex-1 overflow-y-auto px-2.5 py-3">
          <SidebarNav sections={sections} onNavigate={() => setOpen(false)} testIdPrefix="mobile-nav-" />
        </div>
        {footer && <div className="shrink-0 border-t border-sidebar-border p-3">{footer}</div>}
      </SheetContent>
    </Sheet>
  );
}
