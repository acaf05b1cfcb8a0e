-- End-to-end test of `tdlint server` with Neovim's own LSP client (0.7+:
-- vim.lsp.start_client, as Debian's 0.7.2 has no vim.lsp.start). Run by
-- cmd/tdlint/editor_test.go as
--   nvim --headless --clean -c "luafile nvim_e2e.lua"
-- with E2E_TDLINT (the command), E2E_FILE (a Python file with one TD201)
-- and E2E_OUT (where the result goes: lines the Go test checks).
local lines = {}
local function say(s) table.insert(lines, s) end

local function run()
  local file = os.getenv('E2E_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local cmd = { os.getenv('E2E_TDLINT'), 'server' }
  local id = vim.lsp.start_client({
    name = 'tdlint',
    cmd = cmd,
    cmd_env = { TDLINT_AS_COMMAND = '1' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  assert(id, 'vim.lsp.start_client failed')
  assert(vim.lsp.buf_attach_client(buf, id), 'buf_attach_client failed')

  assert(vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20),
    'no diagnostics arrived')
  local d = vim.diagnostic.get(buf)[1]
  say(string.format('diagnostic %d:%d %s %s %s', d.lnum, d.col, tostring(d.code), tostring(d.source), d.message))
  local lsp = (d.user_data or {}).lsp or {}
  if lsp.codeDescription then say('href ' .. lsp.codeDescription.href) end

  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.lnum, character = d.col } },
    context = { diagnostics = {} },
  }
  local replies = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 20000)
  local noqa
  for _, reply in pairs(replies or {}) do
    for _, action in ipairs(reply.result or {}) do
      say('action ' .. action.title)
      if action.title:match('^Ignore ') then noqa = action end
    end
  end
  assert(noqa, 'no "ignore on this line" action')
  vim.lsp.util.apply_workspace_edit(noqa.edit, 'utf-16')
  say('line ' .. vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1])

  assert(vim.wait(20000, function() return #vim.diagnostic.get(buf) == 0 end, 20),
    'the finding did not go after the noqa')
  say('cleared')

  local client = vim.lsp.get_client_by_id(id)
  client.stop()
  assert(vim.wait(20000, function() return client.is_stopped() end, 20), 'the server did not stop')
  say('stopped')
end

local ok, err = pcall(run)
say(ok and 'OK' or ('FAIL ' .. tostring(err)))
local f = assert(io.open(os.getenv('E2E_OUT'), 'w'))
f:write(table.concat(lines, '\n') .. '\n')
f:close()
vim.cmd('qall!')
